namespace Alteran.Load.Xrpc;

/// <summary>Latency samples in microseconds, one list per worker (no locking); merged and sorted at the end.</summary>
internal sealed class Latencies
{
    private readonly List<long>[] _perWorker;

    public Latencies(int workers)
    {
        _perWorker = new List<long>[workers];
        for (int i = 0; i < workers; i++)
        {
            _perWorker[i] = new List<long>(1024);
        }
    }

    public void Add(int worker, long micros) => _perWorker[worker].Add(micros);

    public long[] Sorted()
    {
        int n = 0;
        foreach (List<long> l in _perWorker)
        {
            n += l.Count;
        }

        long[] all = new long[n];
        int k = 0;
        foreach (List<long> l in _perWorker)
        {
            l.CopyTo(all, k);
            k += l.Count;
        }

        Array.Sort(all);
        return all;
    }

    public static double PercentileMs(long[] sorted, double p)
        => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * p))] / 1000.0;
}
