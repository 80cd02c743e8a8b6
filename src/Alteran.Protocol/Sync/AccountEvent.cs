using System.Buffers;
using Alteran.Protocol.Cbor;

namespace Alteran.Protocol.Sync;

/// <summary>
/// An <c>#account</c> event before sequencing: the account's status at this host changed.
/// Body, canonical order: <c>did</c>, <c>seq</c>, <c>time</c>, <c>active</c>, <c>status</c> (omitted when null).
/// </summary>
/// <remarks>
/// The reference PDS sets <c>status</c> only when the account is not active; known values are
/// <c>takendown</c>, <c>suspended</c>, <c>deleted</c>, <c>deactivated</c>, <c>desynchronized</c>, <c>throttled</c>.
/// </remarks>
public readonly struct AccountEvent : IFirehoseEvent
{
    /// <summary>The account DID.</summary>
    public required string Did { get; init; }

    /// <summary>True if the host serves the account's repository.</summary>
    public required bool Active { get; init; }

    /// <summary>Why the account is not active; null to omit.</summary>
    public string? Status { get; init; }

    /// <summary>When the event was sequenced.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <inheritdoc/>
    public int WriteFrame(long seq, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        FrameEncoding.CheckSeq(seq);
        FrameEncoding.CheckText(Did, FirehoseLimits.MaxDidLength, nameof(Did));
        FrameEncoding.CheckOptionalText(Status, FirehoseLimits.MaxNameLength, nameof(Status));
        FrameEncoding.CheckTime(Time);

        var w = new DagCborWriter(output);
        FrameEncoding.WriteMessageHeader(ref w, "#account"u8);
        w.WriteMapHeader(Status is null ? 4 : 5);
        w.WriteText("did"u8);
        w.WriteText(Did);
        w.WriteText("seq"u8);
        w.WriteInt(seq);
        w.WriteText("time"u8);
        FrameEncoding.WriteTime(ref w, Time);
        w.WriteText("active"u8);
        w.WriteBool(Active);
        if (Status is not null)
        {
            w.WriteText("status"u8);
            w.WriteText(Status);
        }
        return FrameEncoding.Finish(ref w);
    }
}
