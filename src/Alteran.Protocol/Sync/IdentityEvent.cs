using System.Buffers;
using Alteran.Protocol.Cbor;

namespace Alteran.Protocol.Sync;

/// <summary>
/// An <c>#identity</c> event before sequencing: tells consumers to refresh the account's DID document and handle.
/// Body, canonical order: <c>did</c>, <c>seq</c>, <c>time</c>, <c>handle</c> (omitted when null).
/// </summary>
public readonly struct IdentityEvent : IFirehoseEvent
{
    /// <summary>The account DID.</summary>
    public required string Did { get; init; }

    /// <summary>The current handle (or <c>handle.invalid</c>); null to omit.</summary>
    public string? Handle { get; init; }

    /// <summary>When the event was sequenced.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <inheritdoc/>
    public int WriteFrame(long seq, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        FrameEncoding.CheckSeq(seq);
        FrameEncoding.CheckText(Did, FirehoseLimits.MaxDidLength, nameof(Did));
        FrameEncoding.CheckOptionalText(Handle, FirehoseLimits.MaxHandleLength, nameof(Handle));
        FrameEncoding.CheckTime(Time);

        var w = new DagCborWriter(output);
        FrameEncoding.WriteMessageHeader(ref w, "#identity"u8);
        w.WriteMapHeader(Handle is null ? 3 : 4);
        w.WriteText("did"u8);
        w.WriteText(Did);
        w.WriteText("seq"u8);
        w.WriteInt(seq);
        w.WriteText("time"u8);
        FrameEncoding.WriteTime(ref w, Time);
        if (Handle is not null)
        {
            w.WriteText("handle"u8);
            w.WriteText(Handle);
        }
        return FrameEncoding.Finish(ref w);
    }
}
