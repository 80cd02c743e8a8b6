namespace Alteran.Net.Firehose;

/// <summary>
/// A single-writer, many-reader ring of immutable items (encoded frames, Jetstream event batches) keyed by seq. The writer stores a slot
/// (invalidate, frame, seq) and then publishes the head with one ordered store; readers keep their own position and
/// read without locks or allocation, detecting that they have been lapped when the slot no longer holds their seq.
/// Capacity is a power of two (slot count) and there is a byte budget: old frames are dropped when either is exceeded.
/// </summary>
public class SeqRing<T> where T : class
{
    private readonly long[] _seqs;
    private readonly T?[] _frames;
    private readonly Func<T, int> _sizeOf;
    private readonly int _mask;
    private readonly long _byteBudget;
    private long _head;      // highest published seq (0 = none yet)
    private long _tail;      // oldest seq still held (head + 1 when empty)
    private long _bytes;     // writer-only: bytes of held frames
    private TaskCompletionSource _signal = NewSignal();
    private int _signalScheduled;

    /// <summary>Creates an empty ring whose first published seq will be <paramref name="startAfter"/> + 1; <paramref name="sizeOf"/> measures items against the byte budget.</summary>
    public SeqRing(int capacity, long byteBudget, Func<T, int> sizeOf, long startAfter = 0)
    {
        if (capacity < 2 || (capacity & (capacity - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), "Capacity must be a power of two of at least 2.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(byteBudget);
        ArgumentOutOfRangeException.ThrowIfNegative(startAfter);
        ArgumentNullException.ThrowIfNull(sizeOf);
        _sizeOf = sizeOf;
        _seqs = new long[capacity];
        _seqs.AsSpan().Fill(-1);
        _frames = new T?[capacity];
        _mask = capacity - 1;
        _byteBudget = byteBudget;
        _head = startAfter;
        _tail = startAfter + 1;
    }

    /// <summary>Slot count.</summary>
    public int Capacity => _mask + 1;

    /// <summary>Highest published seq (ordered read).</summary>
    public long Head => Volatile.Read(ref _head);

    /// <summary>Oldest seq still readable; <see cref="Head"/> + 1 when the ring is empty.</summary>
    public long Tail => Volatile.Read(ref _tail);

    /// <summary>
    /// Publishes the frame for <c>Head + 1</c> (writer only; callers serialise). A null frame marks a hole: a seq with
    /// no event that readers skip. The array is shared with every reader and must not change afterwards.
    /// </summary>
    public void Publish(long seq, T? frame)
    {
        long head = _head;
        if (seq != head + 1)
            throw new InvalidOperationException($"Ring expects seq {head + 1}, got {seq}.");
        int length = frame is null ? 0 : _sizeOf(frame);
        long tail = _tail;
        // Evict from the tail for the slot (when full) and the byte budget; keep at least the new frame.
        while (tail <= head && (seq - tail >= Capacity || _bytes + length > _byteBudget))
        {
            int old = (int)(tail & _mask);
            T? evicted = _frames[old];
            _bytes -= evicted is null ? 0 : _sizeOf(evicted);
            Volatile.Write(ref _seqs[old], -1);
            _frames[old] = null;
            tail++;
        }
        Volatile.Write(ref _tail, tail);
        int index = (int)(seq & _mask);
        Volatile.Write(ref _seqs[index], -1);         // readers that race see "not this seq" rather than a torn pair
        Volatile.Write(ref _frames[index], frame);
        Volatile.Write(ref _seqs[index], seq);
        _bytes += length;
        Volatile.Write(ref _head, seq);
    }

    /// <summary>Reads the frame for <paramref name="seq"/> without locking or allocating.</summary>
    public RingReadStatus TryRead(long seq, out T? frame)
    {
        frame = null;
        if (seq > Volatile.Read(ref _head))
            return RingReadStatus.NotYet;
        int index = (int)(seq & _mask);
        if (Volatile.Read(ref _seqs[index]) != seq)
            return RingReadStatus.Lapped;
        T? candidate = Volatile.Read(ref _frames[index]);
        if (Volatile.Read(ref _seqs[index]) != seq)
            return RingReadStatus.Lapped; // overwritten while reading
        frame = candidate;
        return candidate is null ? RingReadStatus.Hole : RingReadStatus.Ok;
    }

    /// <summary>
    /// A task that completes at the next <see cref="Signal"/> (one shared task for all readers: no per-reader
    /// allocation). Check <see cref="Head"/> after taking it to avoid missing a publish.
    /// </summary>
    public Task NextSignal => Volatile.Read(ref _signal).Task;

    /// <summary>Wakes every reader waiting on <see cref="NextSignal"/> (continuations run on the thread pool).</summary>
    public void Signal() => Interlocked.Exchange(ref _signal, NewSignal()).TrySetResult();

    /// <summary>
    /// Schedules one <see cref="Signal"/> on the thread pool, coalescing calls until it runs: publishers (which may
    /// hold a repo lock) and closing subscribers never wake thousands of readers themselves. The work item goes to
    /// the calling worker's local queue, so it runs as soon as the caller's current work item ends (a global-queue
    /// item would wait behind every queued subscriber continuation).
    /// </summary>
    public void SignalSoon()
    {
        if (Interlocked.Exchange(ref _signalScheduled, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static ring =>
            {
                Volatile.Write(ref ring._signalScheduled, 0); // before signalling: a later publish schedules again
                ring.Signal();
            }, this, preferLocal: true);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
