using System.Buffers;
using Alteran.Protocol.Cbor;

namespace Alteran.Protocol.Sync;

/// <summary>
/// A <c>#sync</c> event before sequencing: the repository's new state as a CAR holding just the signed commit.
/// Emitted instead of <c>#commit</c> when a commit is too large, and after imports or repairs.
/// </summary>
/// <remarks>
/// Body, canonical order: <c>did</c>, <c>rev</c>, <c>seq</c>, <c>time</c>, <c>blocks</c> (all required;
/// blocks ≤ 10,000 bytes, first root = the commit).
/// </remarks>
public readonly struct SyncEvent : IFirehoseEvent
{
    /// <summary>The account DID; must match the commit's <c>did</c>.</summary>
    public required string Did { get; init; }

    /// <summary>A CAR with the signed commit block as its first root.</summary>
    public required ReadOnlyMemory<byte> Blocks { get; init; }

    /// <summary>The commit's rev.</summary>
    public required string Rev { get; init; }

    /// <summary>When the event was sequenced.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <inheritdoc/>
    public int WriteFrame(long seq, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        FrameEncoding.CheckSeq(seq);
        FrameEncoding.CheckText(Did, FirehoseLimits.MaxDidLength, nameof(Did));
        FrameEncoding.CheckText(Rev, FirehoseLimits.MaxRevLength, nameof(Rev));
        FrameEncoding.CheckTime(Time);
        if (Blocks.IsEmpty || Blocks.Length > FirehoseLimits.MaxSyncBlocksBytes)
            throw new ArgumentException($"#sync blocks must be 1..{FirehoseLimits.MaxSyncBlocksBytes} bytes (a CAR of the commit block).", nameof(Blocks));
        if (!CarRoot.TryReadFirst(Blocks.Span, out _))
            throw new ArgumentException("#sync blocks must be a CAR v1 with the commit as its first root.", nameof(Blocks));

        var w = new DagCborWriter(output);
        FrameEncoding.WriteMessageHeader(ref w, "#sync"u8);
        w.WriteMapHeader(5);
        w.WriteText("did"u8);
        w.WriteText(Did);
        w.WriteText("rev"u8);
        w.WriteText(Rev);
        w.WriteText("seq"u8);
        w.WriteInt(seq);
        w.WriteText("time"u8);
        FrameEncoding.WriteTime(ref w, Time);
        w.WriteText("blocks"u8);
        w.WriteBytes(Blocks.Span);
        return FrameEncoding.Finish(ref w);
    }
}
