using System.Buffers;
using Alteran.Protocol.Cbor;

namespace Alteran.Protocol.Sync;

/// <summary>
/// Writes the unsequenced frames: <c>#info</c> messages and error frames. Sequenced events
/// (<see cref="CommitEvent"/>, <see cref="SyncEvent"/>, <see cref="IdentityEvent"/>, <see cref="AccountEvent"/>)
/// write themselves through <see cref="IFirehoseEvent.WriteFrame"/>.
/// </summary>
public static class FirehoseFrameWriter
{
    /// <summary>Error name: the requested cursor is ahead of the stream.</summary>
    public const string FutureCursor = "FutureCursor";

    /// <summary>Error name: the subscriber fell too far behind and is being disconnected.</summary>
    public const string ConsumerTooSlow = "ConsumerTooSlow";

    /// <summary>Info name: the requested cursor is older than the backfill window.</summary>
    public const string OutdatedCursor = "OutdatedCursor";

    /// <summary>Writes <c>{t: "#info", op: 1}</c> then <c>{name, message?}</c>; returns the bytes written.</summary>
    public static int WriteInfo(IBufferWriter<byte> output, string name, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        FrameEncoding.CheckText(name, FirehoseLimits.MaxNameLength, nameof(name));
        FrameEncoding.CheckOptionalText(message, FirehoseLimits.MaxMessageLength, nameof(message));
        var w = new DagCborWriter(output);
        FrameEncoding.WriteMessageHeader(ref w, "#info"u8);
        w.WriteMapHeader(message is null ? 1 : 2);
        w.WriteText("name"u8);
        w.WriteText(name);
        if (message is not null)
        {
            w.WriteText("message"u8);
            w.WriteText(message);
        }
        return FrameEncoding.Finish(ref w);
    }

    /// <summary>Writes the error frame <c>{op: -1}</c> then <c>{error, message?}</c>; returns the bytes written.</summary>
    /// <remarks>The spec asks the server to close the stream right after sending it.</remarks>
    public static int WriteError(IBufferWriter<byte> output, string error, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        FrameEncoding.CheckText(error, FirehoseLimits.MaxNameLength, nameof(error));
        FrameEncoding.CheckOptionalText(message, FirehoseLimits.MaxMessageLength, nameof(message));
        var w = new DagCborWriter(output);
        FrameEncoding.WriteErrorHeader(ref w);
        w.WriteMapHeader(message is null ? 1 : 2);
        w.WriteText("error"u8);
        w.WriteText(error);
        if (message is not null)
        {
            w.WriteText("message"u8);
            w.WriteText(message);
        }
        return FrameEncoding.Finish(ref w);
    }
}
