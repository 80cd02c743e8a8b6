using System.Buffers;
using System.IO.Pipelines;
using Alteran.Protocol;
using Alteran.Protocol.Car;
using Alteran.Protocol.Mst;
using Alteran.Protocol.Repo;
using Alteran.Storage;
using Alteran.Storage.Blocks;
using Alteran.Storage.Records;
using Alteran.Storage.Repos;
using MstTree = Alteran.Protocol.Mst.Mst;

namespace Alteran.Net.Repo;

public sealed partial class RepoService
{
    /// <summary>The repo's current commit and rev (<c>com.atproto.sync.getLatestCommit</c>), or null without a repo.</summary>
    public RepoHead? GetLatestCommit(long account) =>
        _store.TryGetRepoRoot(account, out RepoRoot root) ? new RepoHead(root.Commit, root.Rev) : null;

    /// <summary>Reads one record (<c>com.atproto.repo.getRecord</c>); false when absent.</summary>
    public bool TryGetRecord(long account, string collection, string rkey, out Cid cid, out byte[] value)
    {
        value = [];
        if (!_store.TryGetRecord(account, collection, rkey, out cid))
            return false;
        byte[]? bytes = _store.GetBlock(account, cid);
        if (bytes is null)
            throw new StorageException(StorageError.Corruption, $"Record block {cid} of {collection}/{rkey} is missing.");
        value = bytes;
        return true;
    }

    /// <summary>
    /// Lists a collection (<c>com.atproto.repo.listRecords</c>) in rkey order, or reverse order, after
    /// <paramref name="cursor"/> (an rkey), at most <paramref name="limit"/> records (1..1000). Record bytes come from
    /// one batched multi-get.
    /// </summary>
    public List<RepoRecord> ListRecords(long account, string collection, int limit, string? cursor = null, bool reverse = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 1000);
        var rkeys = new List<string>(Math.Min(limit, 100));
        var cids = new List<Cid>(Math.Min(limit, 100));
        using (RecordCursor it = _store.ListRecords(account, collection, cursor, reverse, limit))
        {
            while (it.MoveNext())
            {
                rkeys.Add(it.RkeyString);
                cids.Add(it.Cid);
            }
        }
        var collector = new BlockCollector(new byte[cids.Count][]);
        _store.GetBlocks(account, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(cids), ref collector);
        var result = new List<RepoRecord>(cids.Count);
        for (int i = 0; i < cids.Count; i++)
        {
            byte[] value = collector.Blocks[i]
                ?? throw new StorageException(StorageError.Corruption, $"Record block {cids[i]} of {collection}/{rkeys[i]} is missing.");
            result.Add(new RepoRecord(rkeys[i], cids[i], value));
        }
        return result;
    }

    /// <summary>The repo's collections in order (<c>com.atproto.repo.describeRepo</c>).</summary>
    public List<string> ListCollections(long account) => _store.ListCollections(account);

    /// <summary>
    /// Writes the repo as a CAR v1 (<c>com.atproto.sync.getRepo</c>): the current commit as root, then every block,
    /// or with <paramref name="since"/> (a TID rev) only the blocks written by later commits (newest first; none when
    /// <paramref name="since"/> is the head rev or later, as the reference). Streamed from one storage snapshot and
    /// flushed every <paramref name="flushBytes"/>; memory stays bounded whatever the repo size. Returns false
    /// (writing nothing) when the account has no repo. Throws <see cref="ArgumentException"/> for a non-TID since.
    /// </summary>
    public async Task<bool> ExportRepoAsync(long account, PipeWriter output, int flushBytes = 64 * 1024, CancellationToken cancellationToken = default,
        string? since = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        (RepoBlockCursor? cursor, Cid root) = await OpenSnapshotAsync(account, since, cancellationToken).ConfigureAwait(false);
        if (cursor is null)
            return false;
        using (cursor)
        {
            var car = new CarWriter(output);
            car.WriteHeader([root]);
            long unflushed = car.BytesWritten;
            while (cursor.MoveNext())
            {
                car.WriteBlock(cursor.Cid, cursor.Data);
                if (car.BytesWritten - unflushed >= flushBytes)
                {
                    unflushed = car.BytesWritten;
                    FlushResult flush = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    if (flush.IsCompleted || flush.IsCanceled)
                        return true; // the reader went away
                }
            }
        }
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Synchronous export into any buffer writer (tests, benchmarks, files). Same content as
    /// <see cref="ExportRepoAsync"/>.</summary>
    public bool ExportRepo(long account, IBufferWriter<byte> output, string? since = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        AccountRepo repo = RepoOf(account);
        RepoBlockCursor cursor;
        Cid root;
        repo.Lock.Wait();
        try
        {
            if (!_store.TryGetRepoRoot(account, out RepoRoot head))
                return false;
            (cursor, root) = (Stream(account, since), head.Commit);
        }
        finally
        {
            repo.Lock.Release();
        }
        using (cursor)
        {
            var car = new CarWriter(output);
            car.WriteHeader([root]);
            while (cursor.MoveNext())
                car.WriteBlock(cursor.Cid, cursor.Data);
        }
        return true;
    }

    // The head and the block snapshot must match: a commit between reading one and taking the other would delete
    // blocks of the head we name (old MST nodes, the old commit). Commits hold the repo lock until durable, so
    // taking both under it pairs them; the lock is released before streaming.
    private async Task<(RepoBlockCursor?, Cid)> OpenSnapshotAsync(long account, string? since, CancellationToken cancellationToken)
    {
        AccountRepo repo = RepoOf(account);
        await repo.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_store.TryGetRepoRoot(account, out RepoRoot root))
                return (null, default);
            return (Stream(account, since), root.Commit);
        }
        finally
        {
            repo.Lock.Release();
        }
    }

    private RepoBlockCursor Stream(long account, string? since) =>
        since is null ? _store.StreamRepoBlocks(account) : _store.StreamRepoBlocks(account, since);

    /// <summary>
    /// Writes the proof CAR of <c>com.atproto.sync.getRecord</c>: root = the current commit; blocks = the commit,
    /// the MST nodes from the root to the key (inclusion or exclusion proof) and the record if it exists.
    /// Returns false when the account has no repo.
    /// </summary>
    public bool WriteRecordProof(long account, string collection, string rkey, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        string path = collection + "/" + rkey;
        if (!MstKey.IsValid(path))
            throw new ArgumentException($"'{path}' is not a valid repository path.", nameof(rkey));
        // Lock-free: a commit landing meanwhile may delete nodes of the head we read; then read the new head.
        for (int attempt = 0; ; attempt++)
        {
            if (!_store.TryGetRepoRoot(account, out RepoRoot root))
                return false;
            var source = new StoreBlockSource(_store, account, _cache);
            try
            {
                if (!source.TryGetBlock(root.Commit, out ReadOnlyMemory<byte> commitBlock))
                    throw new MstMissingBlockException(root.Commit);
                Commit commit = Protocol.Repo.Commit.Decode(commitBlock.Span);
                var proof = new BlockMap();
                proof.Add(root.Commit, commitBlock);
                var tree = MstTree.Load(source, commit.Data);
                tree.CollectPathProof(path, proof);
                if (tree.TryGet(path, out Cid recordCid))
                {
                    byte[] record = _store.GetBlock(account, recordCid) ?? throw new MstMissingBlockException(recordCid);
                    proof.Add(recordCid, record);
                }
                var car = new CarWriter(output);
                car.WriteHeader([root.Commit]);
                foreach (var block in proof)
                    car.WriteBlock(block.Key, block.Value.Span);
                return true;
            }
            catch (MstMissingBlockException) when (attempt < 3)
            {
                // the head moved under us; retry with the new one
            }
        }
    }

    /// <summary>
    /// Writes the blocks <paramref name="cids"/> of the repo as a CAR with no roots (<c>com.atproto.sync.getBlocks</c>).
    /// If any is missing, writes nothing and returns the missing CIDs (the caller answers <c>BlockNotFound</c>).
    /// </summary>
    public List<Cid> WriteBlocks(long account, ReadOnlySpan<Cid> cids, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        byte[]?[] blocks = ReadBlocks(account, cids);
        var missing = new List<Cid>();
        for (int i = 0; i < cids.Length; i++)
            if (blocks[i] is null)
                missing.Add(cids[i]);
        if (missing.Count > 0)
            return missing;
        var car = new CarWriter(output);
        car.WriteHeader([]);
        for (int i = 0; i < cids.Length; i++)
            car.WriteBlock(cids[i], blocks[i]);
        return missing;
    }

    /// <summary>The repo's blocks <paramref name="cids"/>, in order; null where the repo has no such block.</summary>
    public byte[]?[] ReadBlocks(long account, ReadOnlySpan<Cid> cids)
    {
        var collector = new BlockCollector(new byte[cids.Length][]);
        _store.GetBlocks(account, cids, ref collector);
        return collector.Blocks;
    }

    private struct BlockCollector(byte[]?[] blocks) : IBlockVisitor
    {
        public readonly byte[]?[] Blocks = blocks;

        public readonly void Visit(int index, in Cid cid, bool found, ReadOnlySpan<byte> data)
        {
            if (found)
                Blocks[index] = data.ToArray();
        }
    }
}
