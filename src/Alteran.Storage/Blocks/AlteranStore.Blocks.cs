using System.Buffers;
using Alteran.Protocol;
using Alteran.Storage.Blocks;
using Alteran.Storage.Rocks;

namespace Alteran.Storage;

public sealed partial class AlteranStore
{
    /// <summary>Copies block <paramref name="cid"/> of the account into <paramref name="destination"/>; false if absent.</summary>
    public bool TryGetBlock(long account, Cid cid, IBufferWriter<byte> destination)
    {
        Span<byte> key = stackalloc byte[KeyCodec.BlockKeyLength];
        KeyCodec.WriteBlockKey(key, account, cid);
        if (!_db.TryGetPinned(ColumnFamily.Blocks, key, out PinnedValue v))
            return false;
        using (v)
            destination.Write(BlockRevIndex.Data(v.Span));
        return true;
    }

    /// <summary>Block <paramref name="cid"/> as a new array, or null (cold paths).</summary>
    public byte[]? GetBlock(long account, Cid cid)
    {
        Span<byte> key = stackalloc byte[KeyCodec.BlockKeyLength];
        KeyCodec.WriteBlockKey(key, account, cid);
        if (!_db.TryGetPinned(ColumnFamily.Blocks, key, out PinnedValue v))
            return null;
        using (v)
            return BlockRevIndex.Data(v.Span).ToArray();
    }

    /// <summary>True when the account has block <paramref name="cid"/>.</summary>
    public bool HasBlock(long account, Cid cid)
    {
        Span<byte> key = stackalloc byte[KeyCodec.BlockKeyLength];
        KeyCodec.WriteBlockKey(key, account, cid);
        if (!_db.TryGetPinned(ColumnFamily.Blocks, key, out PinnedValue v))
            return false;
        v.Dispose();
        return true;
    }

    /// <summary>
    /// Reads many blocks in one batched RocksDB multi-get (one pass over the SST files for the whole set) and
    /// hands each to <paramref name="visitor"/> in request order, without copying.
    /// </summary>
    public unsafe void GetBlocks<TVisitor>(long account, ReadOnlySpan<Cid> cids, ref TVisitor visitor)
        where TVisitor : struct, IBlockVisitor
    {
        const int Chunk = 64;
        byte* keys = stackalloc byte[Chunk * KeyCodec.BlockKeyLength];
        byte** keyPtrs = stackalloc byte*[Chunk];
        nuint* sizes = stackalloc nuint[Chunk];
        nint* values = stackalloc nint[Chunk];
        byte** errs = stackalloc byte*[Chunk];
        for (int start = 0; start < cids.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, cids.Length - start);
            StorageException? error = null;
            for (int i = 0; i < n; i++)
            {
                byte* k = keys + i * KeyCodec.BlockKeyLength;
                KeyCodec.WriteBlockKey(new Span<byte>(k, KeyCodec.BlockKeyLength), account, cids[start + i]);
                keyPtrs[i] = k;
                sizes[i] = KeyCodec.BlockKeyLength;
                values[i] = 0;
                errs[i] = null;
            }
            nint db = _db.Enter(); // held while the pinned values are read
            try
            {
                RocksNative.rocksdb_batched_multi_get_cf(db, _db.DefaultReadOptions, _db.Cf(ColumnFamily.Blocks),
                    (nuint)n, keyPtrs, sizes, values, errs, 0);
                for (int i = 0; i < n; i++)
                {
                    if (errs[i] != null)
                    {
                        try { RocksDb.ThrowIfError(errs[i]); }
                        catch (StorageException e) { error ??= e; }
                        errs[i] = null;
                        continue;
                    }
                    if (error is null)
                        visitor.Visit(start + i, cids[start + i], values[i] != 0,
                            values[i] == 0 ? default : BlockRevIndex.Data(new PinnedValue(values[i]).Span));
                }
            }
            finally
            {
                for (int i = 0; i < n; i++)
                {
                    if (values[i] != 0) RocksNative.rocksdb_pinnableslice_destroy(values[i]);
                    if (errs[i] != null) RocksNative.rocksdb_free(errs[i]);
                }
                _db.Exit();
            }
            if (error is not null)
                throw error;
        }
    }

    /// <summary>
    /// Deletes every block of the account that is not in <paramref name="live"/> (the blocks reachable from
    /// <paramref name="expectedRoot"/>, marked by the caller), in bounded steps of <paramref name="maxScanPerStep"/>
    /// keys so writers are never held up for long. Fails with <see cref="StorageError.Conflict"/> if the root moves
    /// meanwhile (mark again). For repos whose commits did not carry their removed blocks (imports, repairs);
    /// normal commits delete their removed blocks themselves (<see cref="Repos.PreparedCommit.RemoveBlock"/>).
    /// Returns the number of blocks deleted.
    /// </summary>
    public async Task<long> SweepBlocksAsync(long account, Cid expectedRoot, IReadOnlySet<Cid> live, int maxScanPerStep = 10_000)
    {
        ArgumentNullException.ThrowIfNull(live);
        long deleted = 0;
        byte[] resume = [];
        for (int step = 0; step < int.MaxValue; step++)
        {
            var request = new BlockSweepRequest(account, expectedRoot, live, resume, Math.Max(1, maxScanPerStep));
            await Enqueue(request).ConfigureAwait(false);
            deleted += request.Deleted;
            if (request.Next.Length == 0)
                break;
            resume = request.Next;
        }
        return deleted;
    }

    /// <summary>Streams all blocks of the account from a consistent snapshot (for CAR export).</summary>
    public RepoBlockCursor StreamRepoBlocks(long account) => new(_db, account, sinceRev: null);

    /// <summary>
    /// Streams, from a consistent snapshot, the blocks of the account written by commits with a rev after
    /// <paramref name="sinceRev"/> (a TID; <c>com.atproto.sync.getRepo?since=</c>): the head commit block first
    /// (when it is newer), then newest rev first (CID order within a rev), as the reference PDS orders its rows. Blocks that existed before the rev index (schema 2) count as written by
    /// the head commit of that time, so a diff across the upgrade is a superset. When every block is newer than
    /// <paramref name="sinceRev"/> this is the plain whole-repo scan (CID order). Throws
    /// <see cref="ArgumentException"/> when <paramref name="sinceRev"/> is not a TID.
    /// </summary>
    public RepoBlockCursor StreamRepoBlocks(long account, string sinceRev) =>
        new(_db, account, BlockRevIndex.ParseRev(sinceRev, nameof(sinceRev)));

    /// <summary>How many blocks the account's repo holds (a key-only range scan of the rev index: no block is read).</summary>
    public long CountRepoBlocks(long account)
    {
        Span<byte> lower = stackalloc byte[KeyCodec.AccountIdLength];
        Span<byte> upper = stackalloc byte[KeyCodec.AccountIdLength];
        KeyCodec.WriteAccount(lower, account);
        KeyCodec.WriteAccount(upper, account + 1);
        return CountKeys(ColumnFamily.BlockRevs, lower, upper);
    }

    private long CountKeys(ColumnFamily cf, ReadOnlySpan<byte> lower, ReadOnlySpan<byte> upper)
    {
        long count = 0;
        using RocksIterator it = _db.NewIterator(cf, lower, upper);
        for (it.Seek(lower); it.Valid; it.Next())
            count++;
        it.ThrowIfError();
        return count;
    }
}
