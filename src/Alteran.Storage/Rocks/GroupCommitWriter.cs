namespace Alteran.Storage.Rocks;

/// <summary>
/// The single writer: callers enqueue <see cref="WriteRequest"/>s and await them; one dedicated thread takes
/// everything queued (up to a limit), stages it into one write batch, assigning seqs in queue order, and writes
/// the batch with <c>sync=true</c>. One fsync thus acknowledges the whole group (group commit), and seq order
/// equals durable order because only this thread assigns seqs. A request's task completes only after the sync.
/// </summary>
internal sealed class GroupCommitWriter : IDisposable
{
    private readonly RocksDb _db;
    private readonly WriteContext _context;
    private readonly int _maxGroup;
    private readonly object _gate = new();
    private readonly Queue<WriteRequest> _pending = new();
    private readonly Thread _thread;
    private bool _closing;
    private int _pendingCount;
    private long _durableSeq;
    private long _durableNextAccountId;

    public GroupCommitWriter(RocksDb db, long lastSeq, long nextAccountId, int maxGroup, Func<long> clock)
    {
        _db = db;
        _durableSeq = lastSeq;
        _durableNextAccountId = nextAccountId;
        _maxGroup = Math.Max(1, maxGroup);
        _context = new WriteContext(db, lastSeq, nextAccountId, clock);
        _thread = new Thread(Run) { IsBackground = true, Name = "alteran-storage-writer" };
        _thread.Start();
    }

    /// <summary>Highest seq that is durable.</summary>
    public long DurableSeq => Volatile.Read(ref _durableSeq);

    /// <summary>Number of synced batches written (for tests/metrics: shows grouping).</summary>
    public long BatchCount => Volatile.Read(ref _batchCount);

    private long _batchCount;

    public Task<WriteResult> Enqueue(WriteRequest request)
    {
        lock (_gate)
        {
            if (_closing)
                return Task.FromException<WriteResult>(new StorageException(StorageError.Closed, "The store is closed."));
            _pending.Enqueue(request);
            _pendingCount = _pending.Count;
            if (_pending.Count == 1)
                Monitor.Pulse(_gate);
        }
        return request.Task;
    }

    private void Run()
    {
        var group = new List<WriteRequest>(_maxGroup);
        var staged = new List<WriteRequest>(_maxGroup);
        int lastGroup = 0;
        while (true)
        {
            group.Clear();
            // Writers whose commits were just acknowledged are usually about to enqueue their next one; when the
            // last group showed concurrency, give their continuations a moment (bounded) to arrive so this fsync
            // carries them too, instead of paying one fsync for a small group and another right after.
            if (lastGroup > 1)
            {
                for (int spin = 0; spin < 20 && Volatile.Read(ref _pendingCount) < lastGroup; spin++)
                    Thread.Sleep(0);
            }
            lock (_gate)
            {
                while (_pending.Count == 0 && !_closing)
                    Monitor.Wait(_gate);
                if (_pending.Count == 0)
                    return; // closing and drained
                while (group.Count < _maxGroup && _pending.TryDequeue(out WriteRequest? r))
                    group.Add(r);
                _pendingCount = _pending.Count;
            }
            lastGroup = group.Count;
            try
            {
                ProcessGroup(group, staged);
            }
            catch (Exception e)
            {
                // Never let the writer thread die: every later write would wait forever.
                FailAll(group, new StorageException(StorageError.Other, "Writer failed unexpectedly.", e));
            }
        }
    }

    private void ProcessGroup(List<WriteRequest> group, List<WriteRequest> staged)
    {
        staged.Clear();
        _context.Reset(_durableSeq, _durableNextAccountId);
        foreach (WriteRequest request in group)
        {
            try
            {
                _context.Mark();
                request.Stage(_context);
                _context.Accept();
                staged.Add(request);
            }
            catch (Exception e)
            {
                try
                {
                    _context.Rollback();
                }
                catch (Exception rollbackError)
                {
                    // Cannot undo this request's part of the batch: drop the whole group rather than write half of it.
                    FailAll(group, new StorageException(StorageError.Other, "Write batch rollback failed.", rollbackError));
                    return;
                }
                request.Fail(e);
            }
        }
        if (staged.Count == 0)
            return;

        try
        {
            Span<byte> value = stackalloc byte[8];
            if (_context.Seq != _durableSeq)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(value, _context.Seq);
                _context.Put(ColumnFamily.Meta, MetaKeys.LastSeq, value);
            }
            if (_context.MetaDirty)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(value, _context.NextAccountIdValue);
                _context.Put(ColumnFamily.Meta, MetaKeys.NextAccountId, value);
            }
            _db.Write(_context.Batch, sync: true);
        }
        catch (Exception e)
        {
            // Nothing of the batch is visible (RocksDB applies a batch all-or-nothing), so seqs and ids stay unused.
            Exception error = e as StorageException ?? new StorageException(StorageError.IoError, "Write failed.", e);
            foreach (WriteRequest r in staged) r.Fail(error);
            return;
        }
        Volatile.Write(ref _durableSeq, _context.Seq);
        _durableNextAccountId = _context.NextAccountIdValue;
        Interlocked.Increment(ref _batchCount);
        foreach (WriteRequest r in staged)
        {
            try
            {
                r.AfterDurable();
            }
            catch (Exception)
            {
                // Best effort (e.g. a blob file already gone): the durable state is already correct.
            }
            r.Complete();
        }
    }

    private static void FailAll(List<WriteRequest> group, Exception error)
    {
        foreach (WriteRequest r in group) r.Fail(error);
    }

    /// <summary>Stops accepting writes, finishes the queued ones, and joins the writer thread.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closing) return;
            _closing = true;
            Monitor.PulseAll(_gate);
        }
        _thread.Join();
        _context.Dispose();
    }
}
