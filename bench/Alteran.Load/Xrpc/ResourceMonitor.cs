namespace Alteran.Load.Xrpc;

/// <summary>
/// Samples the server's CPU time and RSS from /proc every 200 ms (when a pid is given) and keeps the peak RSS since
/// the current phase began. Also reads the machine's load average, to say how contended a run was.
/// </summary>
internal sealed class ResourceMonitor : IAsyncDisposable
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peakRss;

    public ResourceMonitor(int pid)
    {
        _pid = pid;
        _loop = pid > 0 ? Task.Run(LoopAsync) : Task.CompletedTask;
    }

    public bool Enabled => _pid > 0;

    /// <summary>Starts a phase: returns the server's CPU seconds so far and resets the peak RSS.</summary>
    public double BeginPhase()
    {
        ServerSample? s = TryRead();
        Interlocked.Exchange(ref _peakRss, s?.RssBytes ?? 0);
        return s?.CpuSeconds ?? 0;
    }

    /// <summary>Ends a phase: CPU seconds so far and the peak RSS since <see cref="BeginPhase"/>.</summary>
    public (double CpuSeconds, long PeakRss) EndPhase()
    {
        ServerSample? s = TryRead();
        if (s is { } v)
        {
            UpdatePeak(v.RssBytes);
        }

        return (s?.CpuSeconds ?? 0, Interlocked.Read(ref _peakRss));
    }

    public static double LoadAverage1()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private ServerSample? TryRead()
    {
        try
        {
            return ServerSample.Read(_pid);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private void UpdatePeak(long rss)
    {
        long cur;
        while (rss > (cur = Interlocked.Read(ref _peakRss)) && Interlocked.CompareExchange(ref _peakRss, rss, cur) != cur)
        {
        }
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                if (TryRead() is { } s)
                {
                    UpdatePeak(s.RssBytes);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
