using Alteran.Net.Repo;
using Alteran.Protocol.Sync;
using Alteran.Storage;
using Alteran.Storage.Log;

namespace Alteran.Net.Firehose;

/// <summary>
/// Orders durable events by seq into the <see cref="FrameRing"/> for live fan-out. Repo commits arrive through
/// <see cref="IRepoEventSink.Publish"/> (from different repos' locks, so possibly out of seq order); they are held in
/// a small reorder window until every earlier seq is in, so the ring never has gaps. A seq that does not arrive within
/// <see cref="FirehoseOptions.GapTimeout"/> (its sink call was lost, or it was appended without publishing) is read
/// from the event log by a background tick; a seq missing from the log too becomes a hole readers skip.
/// Publishing copies the frame once and never blocks on I/O; readers never lock.
/// </summary>
public sealed class Sequencer : IRepoEventSink, IDisposable
{
    private readonly AlteranStore _store;
    private readonly FirehoseOptions _options;
    private readonly FrameRing _ring;
    private readonly Lock _writerLock = new();
    private readonly SortedDictionary<long, byte[]> _pending = [];
    private readonly Timer _timer;
    private long _oldestPendingSinceMs; // when the current gap was first seen (0 = no gap)
    private long _trailingSinceMs;      // when durable events past the ring head were first seen with nothing pending
    private int _filling;
    private bool _disposed;

    /// <summary>Creates a sequencer whose ring starts after the store's last durable seq.</summary>
    public Sequencer(AlteranStore store, FirehoseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _options = options ?? new FirehoseOptions();
        _ring = new FrameRing(_options.RingCapacity, _options.RingByteBudget, store.LastSeq);
        _timer = new Timer(static s => ((Sequencer)s!).Tick(), this, _options.TickInterval, _options.TickInterval);
    }

    /// <summary>The ring subscribers read from.</summary>
    public FrameRing Ring => _ring;

    /// <summary>The store whose event log backs the ring.</summary>
    public AlteranStore Store => _store;

    /// <summary>Settings.</summary>
    public FirehoseOptions Options => _options;

    /// <summary>Events waiting for an earlier seq.</summary>
    public int PendingCount
    {
        get
        {
            lock (_writerLock)
                return _pending.Count;
        }
    }

    /// <inheritdoc/>
    public void Publish(long seq, ReadOnlySpan<byte> frame) => Publish(seq, frame.ToArray());

    /// <summary>Publishes a durable event whose frame array is handed over (never modified afterwards).</summary>
    public void Publish(long seq, byte[] frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        bool published, overflow;
        lock (_writerLock)
        {
            if (_disposed || seq <= _ring.Head)
                return; // already published (a gap fill got there first) or before this sequencer's start
            _pending.TryAdd(seq, frame);
            published = DrainLocked();
            if (_pending.Count == 0)
                _oldestPendingSinceMs = 0;
            else if (_oldestPendingSinceMs == 0)
                _oldestPendingSinceMs = Environment.TickCount64;
            overflow = _pending.Count > _options.ReorderWindow;
        }
        if (published)
            ScheduleSignal();
        if (overflow)
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.FillGaps(), this, preferLocal: false);
    }

    // Waking thousands of subscribers queues one work item each: do it on the thread pool, never on the committing
    // task (which holds a repo lock), and coalesce bursts into one wake-up.
    private void ScheduleSignal() => _ring.SignalSoon();

    /// <summary>
    /// Appends an event that changes no repo (<c>#identity</c>, <c>#account</c>) to the store's log and publishes
    /// it once durable.
    /// </summary>
    public async Task<WriteResult> AppendEventAsync(long account, IEventEncoder encoder)
    {
        using var output = new EventBuffer(1024);
        WriteResult result = await _store.AppendEventAsync(account, encoder, output).ConfigureAwait(false);
        Publish(result.Seq, output.Frame.ToArray());
        return result;
    }

    /// <summary>Appends and publishes an <c>#identity</c> or <c>#account</c> event.</summary>
    public Task<WriteResult> AppendEventAsync<T>(long account, T message) where T : IFirehoseEvent
        => AppendEventAsync(account, new FirehoseEventEncoder<T>(message));

    // Moves every contiguous pending event into the ring. Caller holds _writerLock.
    private bool DrainLocked()
    {
        bool any = false;
        while (_pending.Count > 0)
        {
            long next = _ring.Head + 1;
            if (!_pending.Remove(next, out byte[]? frame))
                break;
            _ring.Publish(next, frame);
            any = true;
        }
        return any;
    }

    private void Tick()
    {
        bool fill;
        lock (_writerLock)
        {
            long now = Environment.TickCount64, timeout = (long)_options.GapTimeout.TotalMilliseconds;
            fill = _pending.Count > 0 && _oldestPendingSinceMs != 0 && now - _oldestPendingSinceMs >= timeout;
            // Events logged straight into the store (no sink call follows them, e.g. an account written with its
            // event) leave no gap for a later publish to reveal: pick them up once they have trailed for a timeout.
            if (_pending.Count == 0 && !_disposed && _store.LastSeq > _ring.Head)
            {
                if (_trailingSinceMs == 0)
                    _trailingSinceMs = now;
                else if (now - _trailingSinceMs >= timeout)
                    fill = true;
            }
            else
            {
                _trailingSinceMs = 0;
            }
        }
        if (fill)
            FillGaps();
        // No periodic wake-up of idle subscribers: a closing subscriber asks for one signal itself, so an idle
        // firehose costs no per-subscriber work.
    }

    /// <summary>
    /// Reads the missing seqs below the first pending event (or, with nothing pending, up to the store's last seq)
    /// from the event log and publishes them; seqs in neither become holes.
    /// </summary>
    internal void FillGaps()
    {
        if (Interlocked.Exchange(ref _filling, 1) != 0)
            return;
        try
        {
            long from, until;
            lock (_writerLock)
            {
                if (_disposed)
                    return;
                from = _ring.Head;               // read (from, until]
                until = _pending.Count > 0 ? FirstKey() - 1 : _store.LastSeq;
                if (until <= from)
                    return;
            }
            var found = new List<(long Seq, byte[] Frame)>();
            try
            {
                using EventCursor cursor = _store.ReadEvents(from, until);
                while (cursor.MoveNext())
                    found.Add((cursor.Seq, cursor.Frame.ToArray()));
            }
            catch (Exception ex) when (ex is ObjectDisposedException or StorageException)
            {
                return; // store closed under us: shutting down
            }
            bool published;
            lock (_writerLock)
            {
                if (_disposed)
                    return;
                foreach ((long seq, byte[] frame) in found)
                {
                    if (seq > _ring.Head)
                        _pending.TryAdd(seq, frame);
                }
                published = DrainLocked();
                // Seqs below the first pending that are in neither the log nor the window have no event: holes.
                while (_ring.Head < until && (_pending.Count == 0 || _ring.Head + 1 < FirstKey()))
                {
                    _ring.Publish(_ring.Head + 1, null);
                    published = true;
                    published |= DrainLocked();
                }
                _oldestPendingSinceMs = _pending.Count == 0 ? 0 : Environment.TickCount64;
                _trailingSinceMs = 0;
            }
            if (published)
                ScheduleSignal();
        }
        finally
        {
            Volatile.Write(ref _filling, 0);
        }
    }

    private long FirstKey()
    {
        using SortedDictionary<long, byte[]>.Enumerator e = _pending.GetEnumerator();
        e.MoveNext();
        return e.Current.Key;
    }

    /// <summary>Stops the gap timer; later publishes are ignored.</summary>
    public void Dispose()
    {
        lock (_writerLock)
        {
            _disposed = true;
            _pending.Clear();
        }
        _timer.Dispose();
        _ring.Signal();
    }
}
