using Alteran.Storage.Repos;
using Alteran.Storage.Rocks;

namespace Alteran.Storage;

public sealed partial class AlteranStore
{
    /// <summary>
    /// Applies a prepared commit atomically: new blocks, removed blocks, record index changes, blob references,
    /// the new root and (if <see cref="PreparedCommit.Event"/> is set) the event-log entry with a freshly assigned
    /// seq, all in one write batch. The task completes after the WAL is fsynced (shared with concurrent writers).
    /// Fails with <see cref="StorageException"/>: <see cref="StorageError.Conflict"/> if the root moved
    /// (<see cref="PreparedCommit.ExpectPrevious"/>), I/O errors as reported by RocksDB (nothing is applied).
    /// </summary>
    public Task<WriteResult> ApplyCommitAsync(PreparedCommit commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        return Enqueue(new CommitRequest(commit));
    }

    /// <summary>The repo's current root, or false when the account has no repo yet.</summary>
    public bool TryGetRepoRoot(long account, out RepoRoot root)
    {
        Span<byte> key = stackalloc byte[KeyCodec.AccountIdLength];
        KeyCodec.WriteAccount(key, account);
        if (!_db.TryGetPinned(ColumnFamily.RepoRoots, key, out PinnedValue v))
        {
            root = default;
            return false;
        }
        using (v)
            root = RepoRootCodec.Read(v.Span);
        return true;
    }
}
