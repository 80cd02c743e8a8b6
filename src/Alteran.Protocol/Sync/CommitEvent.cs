using System.Buffers;
using Alteran.Protocol.Cbor;

namespace Alteran.Protocol.Sync;

/// <summary>
/// A <c>#commit</c> event before sequencing: everything but <c>seq</c>. <see cref="WriteFrame"/> encodes the frame.
/// </summary>
/// <remarks>
/// <para>Body fields, in the canonical order they are written:</para>
/// <code>
/// ops      [repoOp]        required, ≤ 200
/// rev      string (TID)    required
/// seq      integer ≥ 1     required
/// repo     string (DID)    required
/// time     datetime        required
/// blobs    []              required, always empty (deprecated)
/// since    string | null   required, null on a repository's first commit
/// blocks   bytes (CAR)     required, ≤ 2,000,000; first root = commit
/// commit   cid-link        required
/// rebase   false           required (deprecated)
/// tooBig   false           required (deprecated: oversized commits go out as #sync)
/// prevData cid-link        omitted when absent (first commit), sync v1.1
/// repoOp:  {cid: link | null, path, prev?: link (update/delete only), action}
/// </code>
/// <para>Presence follows the TypeScript reference PDS (<c>packages/pds/src/sequencer/events.ts</c>):
/// <c>since</c> is an explicit null, <c>prevData</c> and an op's <c>prev</c> are left out when undefined.</para>
/// </remarks>
public readonly struct CommitEvent : IFirehoseEvent
{
    /// <summary>The repository DID (the <c>repo</c> field; other message types call it <c>did</c>).</summary>
    public required string Repo { get; init; }

    /// <summary>CID of the signed commit object.</summary>
    public required Cid Commit { get; init; }

    /// <summary>The commit's rev (a TID).</summary>
    public required string Rev { get; init; }

    /// <summary>The rev of the repository's previous commit, or null for its first commit.</summary>
    public string? Since { get; init; }

    /// <summary>A CAR of the blocks new in this commit (plus those needed to verify the ops), rooted at <see cref="Commit"/>.</summary>
    public required ReadOnlyMemory<byte> Blocks { get; init; }

    /// <summary>The record operations (may be empty: empty commits are allowed).</summary>
    public ReadOnlyMemory<RepoOpRef> Ops { get; init; }

    /// <summary>The MST root (<c>data</c>) of the previous commit; empty to omit (first commit).</summary>
    public Cid PrevData { get; init; }

    /// <summary>When the event was sequenced.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>False if the commit is too large for <c>#commit</c> and must be emitted as <c>#sync</c>.</summary>
    public bool FitsInCommitFrame => FirehoseLimits.FitsInCommit(Ops.Length, Blocks.Length);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A field is missing or malformed, the blocks CAR is not rooted at the commit, or the commit does not fit
    /// (<see cref="FitsInCommitFrame"/>); nothing has been written.</exception>
    public int WriteFrame(long seq, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Validate(seq);
        ReadOnlySpan<RepoOpRef> ops = Ops.Span;

        var w = new DagCborWriter(output);
        FrameEncoding.WriteMessageHeader(ref w, "#commit"u8);
        w.WriteMapHeader(PrevData.IsEmpty ? 11 : 12);
        w.WriteText("ops"u8);
        w.WriteArrayHeader(ops.Length);
        foreach (ref readonly RepoOpRef op in ops)
            WriteOp(ref w, in op);
        w.WriteText("rev"u8);
        w.WriteText(Rev);
        w.WriteText("seq"u8);
        w.WriteInt(seq);
        w.WriteText("repo"u8);
        w.WriteText(Repo);
        w.WriteText("time"u8);
        FrameEncoding.WriteTime(ref w, Time);
        w.WriteText("blobs"u8);
        w.WriteArrayHeader(0);
        w.WriteText("since"u8);
        if (Since is null)
            w.WriteNull();
        else
            w.WriteText(Since);
        w.WriteText("blocks"u8);
        w.WriteBytes(Blocks.Span);
        w.WriteText("commit"u8);
        w.WriteCid(Commit);
        w.WriteText("rebase"u8);
        w.WriteBool(false);
        w.WriteText("tooBig"u8);
        w.WriteBool(false);
        if (!PrevData.IsEmpty)
        {
            w.WriteText("prevData"u8);
            w.WriteCid(PrevData);
        }
        return FrameEncoding.Finish(ref w);
    }

    private static void WriteOp(ref DagCborWriter w, in RepoOpRef op)
    {
        bool hasPrev = !op.Prev.IsEmpty;
        w.WriteMapHeader(hasPrev ? 4 : 3);
        w.WriteText("cid"u8);
        if (op.Cid.IsEmpty)
            w.WriteNull();
        else
            w.WriteCid(op.Cid);
        w.WriteText("path"u8);
        w.WriteText(op.Path);
        if (hasPrev)
        {
            w.WriteText("prev"u8);
            w.WriteCid(op.Prev);
        }
        w.WriteText("action"u8);
        w.WriteText(RepoOpRef.ActionName(op.Action));
    }

    private void Validate(long seq)
    {
        FrameEncoding.CheckSeq(seq);
        FrameEncoding.CheckText(Repo, FirehoseLimits.MaxDidLength, nameof(Repo));
        FrameEncoding.CheckText(Rev, FirehoseLimits.MaxRevLength, nameof(Rev));
        FrameEncoding.CheckOptionalText(Since, FirehoseLimits.MaxRevLength, nameof(Since));
        FrameEncoding.CheckTime(Time);
        if (Commit.IsEmpty)
            throw new ArgumentException("The commit CID is required.", nameof(Commit));
        if (Blocks.IsEmpty)
            throw new ArgumentException("The blocks CAR is required (it must hold the commit block).", nameof(Blocks));
        if (!CarRoot.TryReadFirst(Blocks.Span, out Cid root) || root != Commit)
            throw new ArgumentException("The blocks CAR must be a CAR v1 whose first root is the commit.", nameof(Blocks));
        if (!FitsInCommitFrame)
            throw new ArgumentException(
                $"A #commit may carry at most {FirehoseLimits.MaxCommitOps} ops and {FirehoseLimits.MaxCommitBlocksBytes} bytes of blocks " +
                $"(got {Ops.Length} ops, {Blocks.Length} bytes); emit #sync instead.");
        foreach (ref readonly RepoOpRef op in Ops.Span)
            op.Validate();
    }
}
