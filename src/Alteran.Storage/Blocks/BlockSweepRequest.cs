using Alteran.Protocol;
using Alteran.Storage.Rocks;

namespace Alteran.Storage.Blocks;

/// <summary>
/// One bounded step of a mark-and-sweep over one repo's blocks: the caller marked the blocks reachable from
/// <paramref name="expectedRoot"/> (walking the MST in Protocol); this step deletes up to <paramref name="maxScan"/>
/// scanned blocks that are not in that set. It runs on the writer thread and first checks that the root is still
/// <paramref name="expectedRoot"/>: a commit in between would have added blocks the live set does not know, so the
/// step fails with <see cref="StorageError.Conflict"/> and the caller re-marks. Commits that use
/// <c>ExpectPrevious</c> only reuse blocks reachable from their previous root, which the live set keeps.
/// </summary>
internal sealed class BlockSweepRequest(long account, Cid expectedRoot, IReadOnlySet<Cid> live, byte[] resumeFrom, int maxScan) : WriteRequest
{
    public byte[] Next { get; private set; } = [];

    public int Deleted { get; private set; }

    public override void Stage(WriteContext context)
    {
        Cid current = Repos.RepoRootCodec.CurrentRoot(context, account);
        if (current != expectedRoot)
            throw new StorageException(StorageError.Conflict, "Repo root moved during block sweep; mark again.");
        Span<byte> lower = stackalloc byte[KeyCodec.AccountIdLength];
        Span<byte> upper = stackalloc byte[KeyCodec.AccountIdLength];
        KeyCodec.WriteAccount(lower, account);
        KeyCodec.WriteAccount(upper, account + 1);
        Span<byte> indexKey = stackalloc byte[BlockRevIndex.KeyLength];
        int deleted = 0;
        using (RocksIterator it = context.Db.NewIterator(ColumnFamily.Blocks, lower, upper))
        {
            it.Seek(resumeFrom.Length > 0 ? resumeFrom : lower);
            for (int scanned = 0; it.Valid && scanned < maxScan; it.Next(), scanned++)
            {
                ReadOnlySpan<byte> key = it.Key;
                if (!Cid.TryReadExact(key[KeyCodec.AccountIdLength..], out Cid cid))
                    throw new StorageException(StorageError.Corruption, "Bad block key.");
                if (live.Contains(cid))
                    continue;
                context.Delete(ColumnFamily.Blocks, key);
                context.Delete(ColumnFamily.BlockRevs, indexKey[..BlockRevIndex.WriteKey(indexKey, account, BlockRevIndex.ReadValueRev(it.Value), cid)]);
                context.Blocks[(account, cid)] = null;
                deleted++;
            }
            Next = it.Valid ? it.Key.ToArray() : [];
            it.ThrowIfError();
        }
        Deleted = deleted;
        Result = new WriteResult(0, account);
    }
}
