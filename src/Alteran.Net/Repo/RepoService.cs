using System.Collections.Concurrent;
using Alteran.Protocol;
using Alteran.Protocol.Car;
using Alteran.Protocol.Cbor;
using Alteran.Protocol.Crypto;
using Alteran.Protocol.Repo;
using Alteran.Protocol.Sync;
using Alteran.Protocol.Syntax;
using Alteran.Storage;
using Alteran.Storage.Log;
using Alteran.Storage.Repos;

namespace Alteran.Net.Repo;

/// <summary>
/// The repo write and read pipeline over an <see cref="AlteranStore"/>: builds signed commits with
/// <see cref="CommitBuilder"/> and persists each one atomically with its firehose event.
/// </summary>
/// <remarks>
/// <para>Concurrency: one writer per repo at a time (a semaphore per account, held from reading the current head to
/// the durable acknowledgement); different repos commit concurrently and share the store's group-commit fsyncs.
/// The current head (commit, rev, MST root) is cached per account and dropped on any failed write, so the next
/// write reloads it from the store. MST nodes come through a shared content-addressed <see cref="BlockCache"/>.
/// Every commit also carries <c>ExpectPrevious</c>, so even a second writer outside this service could not fork
/// the repo: its commit would fail with <see cref="RepoWriteError.Conflict"/>.</para>
/// <para>Block garbage: a commit deletes the MST nodes it replaced, the previous commit block, and the record blocks
/// no other record of the repo still uses (<see cref="RecordRefCounts"/>), in the same batch as its new blocks.</para>
/// <para>Crash safety: blocks, record index, blob references, root and event are one synced RocksDB batch; a crash
/// leaves the repo at the previous or the new commit, never between.</para>
/// </remarks>
public sealed partial class RepoService
{
    private readonly AlteranStore _store;
    private readonly RepoServiceOptions _options;
    private readonly TidClock _clock;
    private readonly BlockCache _cache;
    private readonly ConcurrentDictionary<long, AccountRepo> _repos = new();

    /// <summary>Creates the service over an open store.</summary>
    public RepoService(AlteranStore store, RepoServiceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _options = options ?? new RepoServiceOptions();
        _clock = _options.Clock;
        _cache = new BlockCache(_options.BlockCacheBytes);
    }

    /// <summary>The store this service writes to.</summary>
    public AlteranStore Store => _store;

    /// <summary>MST/commit blocks the write path had to read from the store (cache misses) since creation.</summary>
    public long StoreBlockReads => Interlocked.Read(ref _storeBlockReads);

    /// <summary>Bytes held by the shared block cache.</summary>
    public long CachedBlockBytes => _cache.Bytes;

    private long _storeBlockReads;

    private sealed class AccountRepo
    {
        public readonly SemaphoreSlim Lock = new(1, 1);
        public RepoState? State; // guarded by Lock
    }

    private sealed class RepoState(string did, Cid commit, string rev, Cid data)
    {
        public string Did { get; } = did;
        public Cid Commit { get; } = commit;
        public string Rev { get; } = rev;
        public Cid Data { get; } = data;
        public RecordRefCounts? Refs { get; set; }
    }

    private AccountRepo RepoOf(long account)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(account);
        return _repos.GetOrAdd(account, static _ => new AccountRepo());
    }

    /// <summary>Forgets the cached head of <paramref name="account"/> (after an account deletion or an import).</summary>
    public async Task InvalidateAsync(long account)
    {
        AccountRepo repo = RepoOf(account);
        await repo.Lock.WaitAsync().ConfigureAwait(false);
        repo.State = null;
        repo.Lock.Release();
    }

    // ------------------------------------------------------------------------------------------------ create

    /// <summary>
    /// Creates the repo of a new account: a signed commit of the empty MST. With <paramref name="announce"/> it is
    /// logged as the reference PDS does for a new account: <c>#commit</c> (no ops, <c>since</c> null) in the commit's
    /// own batch, then <c>#sync</c> (the commit alone). The caller logs <c>#identity</c> and <c>#account</c> first
    /// (account creation). Pass false for an account created deactivated (migration), which announces nothing.
    /// </summary>
    /// <exception cref="RepoWriteException"><see cref="RepoWriteError.RepoAlreadyExists"/>.</exception>
    /// <exception cref="ArgumentException">The account row is missing or has another DID.</exception>
    public async Task<RepoCommitResult> CreateRepoAsync(long account, string did, PrivateKey signingKey, bool announce = true,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(did);
        ArgumentNullException.ThrowIfNull(signingKey);
        if (!Did.IsValid(did))
            throw new ArgumentException($"Invalid DID '{did}'.", nameof(did));
        AccountRepo repo = RepoOf(account);
        await repo.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_store.GetAccount(account) is not { } row || row.Did != did)
                throw new ArgumentException($"Account {account} does not exist or does not have DID {did}.", nameof(did));
            if (repo.State is not null || _store.TryGetRepoRoot(account, out _))
                throw new RepoWriteException(RepoWriteError.RepoAlreadyExists, $"Account {account} already has a repo.");
            string rev = _clock.Next().ToString();
            CommitResult built = CommitBuilder.Build(new CommitInput(did, null, new BlockMap(), signingKey, rev), []);

            var prepared = new PreparedCommit { AccountId = account, Commit = built.CommitCid, Rev = rev };
            prepared.ExpectPrevious(default);
            foreach (var block in built.NewBlocks)
                prepared.AddBlock(block.Key, block.Value);
            EventBuffer? output = null;
            if (announce)
            {
                ReadOnlyMemory<byte> car = WriteCar(built.CommitCid, built.FirehoseBlocks);
                prepared.Event = RepoEventEncoder.Commit(did, built.CommitCid, rev, since: null, car, [], prevData: default, _options.Now);
                prepared.EventOutput = output = _options.EventSink is null ? null : new EventBuffer();
            }
            long seq;
            try
            {
                seq = (await Apply(prepared, repo).ConfigureAwait(false)).Seq;
                Publish(seq, output);
            }
            finally
            {
                output?.Dispose();
            }
            repo.State = new RepoState(did, built.CommitCid, rev, built.Data);
            CacheNodes(built, null);

            if (announce)
            {
                var sync = RepoEventEncoder.Sync(did, built.CommitCid, rev, CommitOnlyCar(built), _options.Now);
                using EventBuffer? syncOutput = _options.EventSink is null ? null : new EventBuffer(1024);
                long syncSeq = (await _store.AppendEventAsync(account, sync, syncOutput).ConfigureAwait(false)).Seq;
                Publish(syncSeq, syncOutput);
            }
            return new RepoCommitResult(built.CommitCid, rev, seq, emittedSync: false, []);
        }
        finally
        {
            repo.Lock.Release();
        }
    }

    // ------------------------------------------------------------------------------------------------ writes

    /// <summary>
    /// Applies <paramref name="writes"/> (in order) as one signed commit, persisted atomically with its firehose
    /// event (<c>#commit</c>, or <c>#sync</c> if over the frame limits). <paramref name="swapCommit"/>, if given,
    /// must be the repo's current commit; each write's <c>swapRecord</c> is checked against the current record.
    /// Returns once durable.
    /// </summary>
    /// <exception cref="RepoWriteException">A precondition or a write is invalid (nothing was written).</exception>
    /// <exception cref="StorageException">The store failed (nothing was written).</exception>
    public async Task<RepoCommitResult> ApplyWritesAsync(long account, PrivateKey signingKey, IReadOnlyList<RepoWriteOp> writes,
        Cid? swapCommit = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count == 0)
            throw new RepoWriteException(RepoWriteError.InvalidWrite, "No writes.");
        if (writes.Count > _options.MaxWritesPerCommit)
            throw new RepoWriteException(RepoWriteError.InvalidWrite, $"Too many writes ({writes.Count}; at most {_options.MaxWritesPerCommit}).");
        AccountRepo repo = RepoOf(account);
        await repo.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            RepoState state = repo.State ??= LoadState(account);
            if (TryNoOpPut(account, state, writes) is { } noOp)
                return noOp;
            if (swapCommit is { } expected && expected != state.Commit)
                throw new RepoWriteException(RepoWriteError.InvalidSwap, $"Commit was at {state.Commit}, not {expected}.");
            return await Commit(account, repo, state, signingKey, writes).ConfigureAwait(false);
        }
        catch (RepoWriteException ex) when (ex.Error != RepoWriteError.Conflict)
        {
            // Refused before anything was written: the head is unchanged (Commit drops reference counts it touched).
            throw;
        }
        catch
        {
            repo.State = null; // reload the head from the store next time; cached blocks stay valid
            throw;
        }
        finally
        {
            repo.Lock.Release();
        }
    }

    private async Task<RepoCommitResult> Commit(long account, AccountRepo repo, RepoState state, PrivateKey key, IReadOnlyList<RepoWriteOp> writes)
    {
        int n = writes.Count;
        var resolved = new RepoWrite[n];
        var actions = new RepoWriteAction[n];
        var paths = new HashSet<(string, string)>(n);
        bool removesRecords = false;
        for (int i = 0; i < n; i++)
        {
            RepoWriteOp w = writes[i] ?? throw new ArgumentNullException(nameof(writes));
            if (w.Record.Length > _options.MaxRecordBytes)
                throw new RepoWriteException(RepoWriteError.RecordTooLarge,
                    $"Record {w.Collection}/{w.Rkey} is {w.Record.Length} bytes; at most {_options.MaxRecordBytes}.");
            if (w.Action != RepoWriteAction.Delete && !HasTypeField(w.Record.Span))
                throw new RepoWriteException(RepoWriteError.InvalidWrite, $"Record {w.Collection}/{w.Rkey} must be a DAG-CBOR map with a $type string.");
            if (!paths.Add((w.Collection, w.Rkey)))
                throw new RepoWriteException(RepoWriteError.InvalidWrite, $"Two writes to '{w.Collection}/{w.Rkey}' in one commit.");
            bool exists = _store.TryGetRecord(account, w.Collection, w.Rkey, out Cid current);
            if (w.CheckSwapRecord && (w.SwapRecord is { } swap ? !exists || current != swap : exists))
                throw new RepoWriteException(RepoWriteError.InvalidSwap,
                    $"Record {w.Collection}/{w.Rkey} was at {(exists ? current.ToString() : "nothing")}, not {(w.SwapRecord?.ToString() ?? "nothing")}.");
            RepoWriteAction action = w.Action == RepoWriteAction.Put ? (exists ? RepoWriteAction.Update : RepoWriteAction.Create) : w.Action;
            if (action == RepoWriteAction.Create && exists)
                throw new RepoWriteException(RepoWriteError.RecordAlreadyExists, $"Record {w.Collection}/{w.Rkey} already exists.");
            if (action != RepoWriteAction.Create && !exists)
                throw new RepoWriteException(RepoWriteError.RecordNotFound, $"Record {w.Collection}/{w.Rkey} does not exist.");
            removesRecords |= exists;
            actions[i] = action;
            resolved[i] = action switch
            {
                RepoWriteAction.Create => RepoWrite.Create(w.Collection, w.Rkey, w.Record),
                RepoWriteAction.Update => RepoWrite.Update(w.Collection, w.Rkey, w.Record),
                _ => RepoWrite.Delete(w.Collection, w.Rkey),
            };
        }

        string rev = _clock.Next().ToString();
        var source = new StoreBlockSource(_store, account, _cache);
        CommitResult built;
        try
        {
            built = CommitBuilder.Build(new CommitInput(state.Did, state.Data, source, key, rev, state.Rev), resolved);
        }
        catch (RepoException ex)
        {
            throw new RepoWriteException(RepoWriteError.InvalidWrite, ex.Message, ex);
        }
        finally
        {
            Interlocked.Add(ref _storeBlockReads, source.StoreReads);
        }

        var prepared = new PreparedCommit { AccountId = account, Commit = built.CommitCid, Rev = rev };
        prepared.ExpectPrevious(state.Commit);
        foreach (var block in built.NewBlocks)
            prepared.AddBlock(block.Key, block.Value);
        foreach (Cid node in built.RemovedNodes)
            prepared.RemoveBlock(node);
        prepared.RemoveBlock(state.Commit);

        // Record blocks: count the new references first, so a CID both dropped and added in this commit survives.
        RecordRefCounts? refs = state.Refs;
        if (removesRecords && refs is null)
            refs = RecordRefCounts.Build(_store, account, _options.MaxRecordsPerRepo);
        state.Refs = null; // counts are edited in place below: only a successful commit hands them on
        var results = new RepoWriteResult[n];
        var ops = new RepoOpRef[built.Ops.Count];
        var blobs = new List<Cid>();
        for (int i = 0; i < n; i++)
        {
            RepoOp op = built.Ops[i];
            RepoWriteOp w = writes[i];
            string uri = "at://" + state.Did + "/" + op.Path;
            results[i] = new RepoWriteResult(actions[i], uri, op.Cid);
            ops[i] = op.Action switch
            {
                WriteAction.Create => RepoOpRef.Create(op.Path, op.Cid!.Value),
                WriteAction.Update => RepoOpRef.Update(op.Path, op.Cid!.Value, op.Prev!.Value),
                _ => RepoOpRef.Delete(op.Path, op.Prev!.Value),
            };
            if (op.Prev is { } prev)
            {
                // Blob references of the record being replaced or deleted go first: a later add for the same
                // (blob, path) in this batch wins.
                byte[]? old = _store.GetBlock(account, prev);
                if (old is not null)
                {
                    blobs.Clear();
                    if (TryCollectBlobRefs(old, blobs))
                        foreach (Cid blob in blobs)
                            prepared.RemoveBlobRef(blob, w.Collection, w.Rkey);
                }
            }
            if (op.Cid is { } cid)
            {
                prepared.PutRecord(w.Collection, w.Rkey, cid);
                refs?.Increment(cid);
                blobs.Clear();
                if (!TryCollectBlobRefs(w.Record.Span, blobs))
                    throw new RepoWriteException(RepoWriteError.InvalidWrite, $"Record {op.Path} is not valid DAG-CBOR.");
                foreach (Cid blob in blobs)
                    prepared.AddBlobRef(blob, w.Collection, w.Rkey);
            }
            else
            {
                prepared.DeleteRecord(w.Collection, w.Rkey);
            }
        }
        if (refs is not null)
        {
            foreach (RepoOp op in built.Ops)
                if (op.Prev is { } prev && refs.Decrement(prev))
                    prepared.RemoveBlock(prev);
            if (refs.Count > _options.MaxCachedRefCounts)
                refs = null; // too big to keep in memory: rebuilt by the next commit that needs it
        }

        ReadOnlyMemory<byte> car = WriteCar(built.CommitCid, built.FirehoseBlocks);
        bool fits = FirehoseLimits.FitsInCommit(ops.Length, car.Length);
        prepared.Event = fits
            ? RepoEventEncoder.Commit(state.Did, built.CommitCid, rev, state.Rev, car, ops, built.PrevData ?? default, _options.Now)
            : RepoEventEncoder.Sync(state.Did, built.CommitCid, rev, CommitOnlyCar(built), _options.Now);
        using EventBuffer? output = _options.EventSink is null ? null : new EventBuffer(fits ? car.Length + 1024 : 1024);
        prepared.EventOutput = output;

        WriteResult written = await Apply(prepared, repo).ConfigureAwait(false);
        repo.State = new RepoState(state.Did, built.CommitCid, rev, built.Data) { Refs = refs };
        CacheNodes(built, ops);
        Publish(written.Seq, output);
        return new RepoCommitResult(built.CommitCid, rev, written.Seq, !fits, results);
    }

    // putRecord with the bytes the record already has: answered without a commit, before any swap check (as the
    // reference PDS does: nothing changes, so there is nothing to guard).
    private RepoCommitResult? TryNoOpPut(long account, RepoState state, IReadOnlyList<RepoWriteOp> writes)
    {
        if (writes.Count != 1 || writes[0] is not { Action: RepoWriteAction.Put } w)
            return null;
        if (!_store.TryGetRecord(account, w.Collection, w.Rkey, out Cid current) || current != Cid.ForDagCbor(w.Record.Span))
            return null;
        var result = new RepoWriteResult(RepoWriteAction.Update, "at://" + state.Did + "/" + w.Collection + "/" + w.Rkey, current);
        return new RepoCommitResult(state.Commit, state.Rev, seq: 0, emittedSync: false, [result]) { NoOp = true };
    }

    private async Task<WriteResult> Apply(PreparedCommit prepared, AccountRepo repo)
    {
        try
        {
            return await _store.ApplyCommitAsync(prepared).ConfigureAwait(false);
        }
        catch (StorageException ex) when (ex.Error == StorageError.Conflict)
        {
            repo.State = null;
            throw new RepoWriteException(RepoWriteError.Conflict, "The repo changed underneath this write; retry.", ex);
        }
        catch (StorageException ex) when (ex.Error == StorageError.NotFound)
        {
            throw new RepoWriteException(RepoWriteError.BlobNotFound, ex.Message, ex);
        }
    }

    private RepoState LoadState(long account)
    {
        if (!_store.TryGetRepoRoot(account, out RepoRoot root))
            throw new RepoWriteException(RepoWriteError.RepoNotFound, $"Account {account} has no repo.");
        byte[] block = _store.GetBlock(account, root.Commit)
            ?? throw new StorageException(StorageError.Corruption, $"Commit block {root.Commit} of account {account} is missing.");
        Commit commit = Protocol.Repo.Commit.Decode(block);
        if (commit.Rev != root.Rev)
            throw new StorageException(StorageError.Corruption, $"Repo root rev {root.Rev} does not match commit rev {commit.Rev}.");
        // Revs must keep increasing across restarts and clock steps: lift the clock above the stored one.
        _clock.Observe(Tid.Parse(root.Rev));
        return new RepoState(commit.Did, root.Commit, root.Rev, commit.Data);
    }

    private void CacheNodes(CommitResult built, RepoOpRef[]? ops)
    {
        // New MST nodes and the commit are the next commit's starting point; record blocks are not cached.
        if (ops is not null && ops.Length > 64)
            return; // large commits: let the next commits repopulate the cache instead of scanning
        foreach (var block in built.NewBlocks)
        {
            if (ops is not null && IsRecord(block.Key, ops))
                continue;
            if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray(block.Value, out ArraySegment<byte> seg)
                && seg.Offset == 0 && seg.Count == seg.Array!.Length)
                _cache.Add(block.Key, seg.Array);
        }
    }

    private static bool IsRecord(in Cid cid, RepoOpRef[] ops)
    {
        // Called once per new block; big commits (imports) are rare and bounded by MaxWritesPerCommit.
        foreach (ref readonly RepoOpRef op in ops.AsSpan())
            if (op.Cid == cid)
                return true;
        return false;
    }

    private void Publish(long seq, EventBuffer? output)
    {
        if (output is not null && seq > 0)
            _options.EventSink?.Publish(seq, output.Frame.Span);
    }

    /// <summary>
    /// Records must be maps with a <c>$type</c> string (data model rule). Besides, it keeps record blocks disjoint from
    /// MST nodes (<c>{e, l}</c>) and commits, so deleting a node or a commit can never delete a record, nor the reverse.
    /// </summary>
    private static bool HasTypeField(ReadOnlySpan<byte> record)
    {
        try
        {
            var r = new DagCborReader(record);
            if (r.PeekKind() != CborKind.Map)
                return false;
            int n = r.ReadMapHeader();
            for (int i = 0; i < n; i++)
            {
                if (r.ReadMapKey().SequenceEqual("$type"u8))
                    return r.PeekKind() == CborKind.Text && r.ReadText().Length > 0;
                r.SkipValue();
            }
            return false;
        }
        catch (DagCborException)
        {
            return false;
        }
    }

    private static bool TryCollectBlobRefs(ReadOnlySpan<byte> record, List<Cid> into)
    {
        try
        {
            DagCbor.CollectBlobRefs(record, into);
            return true;
        }
        catch (DagCborException)
        {
            return false;
        }
    }

    /// <summary>A CAR of <paramref name="blocks"/> rooted at <paramref name="commit"/> (firehose <c>blocks</c>).</summary>
    private static ReadOnlyMemory<byte> WriteCar(in Cid commit, BlockMap blocks)
    {
        long size = 64;
        foreach (var b in blocks)
            size += b.Value.Length + Cid.ByteLength + Varint.MaxLength;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>((int)Math.Min(size, int.MaxValue / 2));
        var car = new CarWriter(buffer);
        car.WriteHeader([commit]);
        foreach (var b in blocks)
            car.WriteBlock(b.Key, b.Value.Span);
        return buffer.WrittenMemory; // sized up front: no copy
    }

    private static ReadOnlyMemory<byte> CommitOnlyCar(CommitResult built)
    {
        var map = new BlockMap(1);
        map.Add(built.CommitCid, built.CommitBytes);
        return WriteCar(built.CommitCid, map);
    }
}
