using System.Diagnostics;

namespace Alteran.Load.Xrpc.Fanout;

/// <summary>
/// Per-seq delivery board shared by all subscribers of a fan-out phase: how many subscribers have each seq, when the
/// first and the last (the N-th) got it. One <see cref="Interlocked.Increment(ref int)"/> per frame; the
/// subscriber whose increment reaches 1 or N stamps the time. Indexed by <c>seq - BaseSeq</c>, bounded by capacity.
/// </summary>
internal sealed class SeqBoard(long baseSeq, int capacity, int subscribers)
{
    private readonly int[] _count = new int[capacity];
    private readonly long[] _firstAt = new long[capacity];
    private readonly long[] _lastAt = new long[capacity];

    public long BaseSeq { get; } = baseSeq;

    public int Capacity { get; } = capacity;

    /// <summary>Frames whose seq was outside [BaseSeq, BaseSeq + Capacity) (events from before the phase, or beyond the bound).</summary>
    public long OutOfRange;

    public void Record(long seq, long now)
    {
        long i = seq - BaseSeq;
        if ((ulong)i >= (ulong)Capacity)
        {
            Interlocked.Increment(ref OutOfRange);
            return;
        }

        int c = Interlocked.Increment(ref _count[i]);
        if (c == 1)
        {
            _firstAt[i] = now;
        }

        if (c == subscribers)
        {
            _lastAt[i] = now;
        }
    }

    public int Count(long seq) => (ulong)(seq - BaseSeq) < (ulong)Capacity ? Volatile.Read(ref _count[seq - BaseSeq]) : 0;

    /// <summary>When every subscriber had <paramref name="seq"/> (0 if not all did).</summary>
    public long LastAt(long seq) => Count(seq) >= subscribers ? _lastAt[seq - BaseSeq] : 0;

    public long FirstAt(long seq) => Count(seq) > 0 ? _firstAt[seq - BaseSeq] : 0;

    public static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}
