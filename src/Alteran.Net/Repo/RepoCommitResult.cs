using Alteran.Protocol;

namespace Alteran.Net.Repo;

/// <summary>The outcome of one write: the resolved action, the record's <c>at://</c> URI and new CID (null for deletes).</summary>
public readonly record struct RepoWriteResult(RepoWriteAction Action, string Uri, Cid? Cid);

/// <summary>What a durable repo commit produced: what <c>createRecord</c>/<c>applyWrites</c> answer with.</summary>
public sealed class RepoCommitResult
{
    internal RepoCommitResult(Cid commit, string rev, long seq, bool emittedSync, RepoWriteResult[] results)
    {
        Commit = commit;
        Rev = rev;
        Seq = seq;
        EmittedSync = emittedSync;
        Results = results;
    }

    /// <summary>CID of the new signed commit (the <c>commit.cid</c> of XRPC answers).</summary>
    public Cid Commit { get; }

    /// <summary>The new commit's rev.</summary>
    public string Rev { get; }

    /// <summary>
    /// True when nothing was written: a lone <see cref="RepoWriteAction.Put"/> of the bytes the record already has
    /// (<c>putRecord</c> then answers without <c>commit</c>). <see cref="Commit"/> and <see cref="Rev"/> are the
    /// unchanged head and <see cref="Seq"/> is 0.
    /// </summary>
    public bool NoOp { get; init; }

    /// <summary>Seq of the firehose event logged with the commit.</summary>
    public long Seq { get; }

    /// <summary>True when the commit was too large for <c>#commit</c> and went out as <c>#sync</c>.</summary>
    public bool EmittedSync { get; }

    /// <summary>One result per write, in request order.</summary>
    public IReadOnlyList<RepoWriteResult> Results { get; }
}
