namespace Alteran.Protocol.Sync;

/// <summary>
/// One record mutation of a <c>#commit</c> (lexicon <c>#repoOp</c>): <c>{action, path, cid, prev?}</c>.
/// <see cref="Cid"/> is empty for deletes (encoded as null); <see cref="Prev"/> is empty for creates (omitted).
/// </summary>
/// <remarks>
/// Sync v1.1 ("inductive firehose") needs <c>prev</c> on updates and deletes so a consumer can invert the op
/// against the new MST and check it reproduces <c>prevData</c>. The factories below enforce the shape we emit;
/// decoded ops from sync v1.0 hosts may have an empty <see cref="Prev"/> on an update or delete.
/// </remarks>
public readonly struct RepoOpRef : IEquatable<RepoOpRef>
{
    internal RepoOpRef(RepoOpAction action, string path, Cid cid, Cid prev)
    {
        Action = action;
        Path = path;
        Cid = cid;
        Prev = prev;
    }

    /// <summary>What happened to the record.</summary>
    public RepoOpAction Action { get; }

    /// <summary>The record path, <c>collection/rkey</c>.</summary>
    public string Path { get; }

    /// <summary>The new record's CID (empty for a delete).</summary>
    public Cid Cid { get; }

    /// <summary>The previous record's CID (empty for a create).</summary>
    public Cid Prev { get; }

    /// <summary>A record created at <paramref name="path"/> with CID <paramref name="cid"/>.</summary>
    public static RepoOpRef Create(string path, Cid cid) =>
        new(RepoOpAction.Create, CheckPath(path), CheckCid(cid, nameof(cid)), default);

    /// <summary>The record at <paramref name="path"/> replaced: <paramref name="prev"/> → <paramref name="cid"/>.</summary>
    public static RepoOpRef Update(string path, Cid cid, Cid prev) =>
        new(RepoOpAction.Update, CheckPath(path), CheckCid(cid, nameof(cid)), CheckCid(prev, nameof(prev)));

    /// <summary>The record at <paramref name="path"/> (CID <paramref name="prev"/>) deleted.</summary>
    public static RepoOpRef Delete(string path, Cid prev) =>
        new(RepoOpAction.Delete, CheckPath(path), default, CheckCid(prev, nameof(prev)));

    /// <summary>The lexicon spelling of <paramref name="action"/> as UTF-8.</summary>
    public static ReadOnlySpan<byte> ActionName(RepoOpAction action) => action switch
    {
        RepoOpAction.Create => "create"u8,
        RepoOpAction.Update => "update"u8,
        RepoOpAction.Delete => "delete"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    /// <summary>Throws <see cref="ArgumentException"/> unless this op has the shape we emit (see the factories).</summary>
    internal void Validate()
    {
        if (Path is null || Path.Length == 0 || Path.Length > FirehoseLimits.MaxPathLength)
            throw new ArgumentException("A repo op needs a path of 1.." + FirehoseLimits.MaxPathLength + " chars.");
        bool ok = Action switch
        {
            RepoOpAction.Create => !Cid.IsEmpty && Prev.IsEmpty,
            RepoOpAction.Update => !Cid.IsEmpty && !Prev.IsEmpty,
            RepoOpAction.Delete => Cid.IsEmpty && !Prev.IsEmpty,
            _ => false,
        };
        if (!ok)
            throw new ArgumentException($"Repo op {Action} on '{Path}' has the wrong cid/prev (create: cid; update: cid + prev; delete: prev).");
    }

    private static string CheckPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(path.Length, FirehoseLimits.MaxPathLength, nameof(path));
        return path;
    }

    private static Cid CheckCid(Cid cid, string name) =>
        cid.IsEmpty ? throw new ArgumentException("The CID must not be empty.", name) : cid;

    /// <inheritdoc/>
    public bool Equals(RepoOpRef other) =>
        Action == other.Action && Path == other.Path && Cid == other.Cid && Prev == other.Prev;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is RepoOpRef other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Action, Path, Cid, Prev);

    /// <summary>Equality of all four fields.</summary>
    public static bool operator ==(RepoOpRef left, RepoOpRef right) => left.Equals(right);

    /// <summary>Inequality of any field.</summary>
    public static bool operator !=(RepoOpRef left, RepoOpRef right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => $"{Action} {Path} cid={(Cid.IsEmpty ? "null" : Cid)} prev={(Prev.IsEmpty ? "-" : Prev)}";
}
