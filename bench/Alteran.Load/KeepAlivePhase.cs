using System.Diagnostics;

namespace Alteran.Load;

/// <summary>
/// N keep-alive connections, each sending the request again as soon as the previous response is read (no
/// pipelining), for a fixed duration. Reports requests/s, latency percentiles, and server CPU per request.
/// </summary>
internal sealed class KeepAlivePhase(string name, int connections, TimeSpan duration) : IPhase
{
    public string Name { get; } = name;

    public async Task<PhaseResult> RunAsync(LoadTarget target, int serverPid, CancellationToken cancellationToken)
    {
        var clients = new ClientConnection[connections];
        for (int i = 0; i < connections; i++)
        {
            clients[i] = await ClientConnection.ConnectAsync(target, cancellationToken);
        }

        var latencies = new List<int>[connections];
        long errors = 0;
        ServerSample? before = ServerSample.Read(serverPid);
        TimeSpan selfBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);
        var tasks = new Task[connections];
        for (int i = 0; i < connections; i++)
        {
            int index = i;
            latencies[i] = new List<int>(1 << 16);
            tasks[i] = Task.Run(async () =>
            {
                ClientConnection client = clients[index];
                List<int> samples = latencies[index];
                while (!stop.IsCancellationRequested)
                {
                    long start = Stopwatch.GetTimestamp();
                    try
                    {
                        int status = await client.SendAsync(target.Request, stop.Token);
                        if (status != 200)
                        {
                            Interlocked.Increment(ref errors);
                        }
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                    catch (Exception)
                    {
                        Interlocked.Increment(ref errors);
                        break;
                    }

                    samples.Add((int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(start).Ticks / 10)); // microseconds
                }
            }, CancellationToken.None);
        }

        await Task.WhenAll(tasks);
        double seconds = clock.Elapsed.TotalSeconds;
        ServerSample? after = ServerSample.Read(serverPid);
        TimeSpan selfCpu = Process.GetCurrentProcess().TotalProcessorTime - selfBefore;
        foreach (ClientConnection c in clients)
        {
            c.Dispose();
        }

        int total = 0;
        foreach (List<int> l in latencies)
        {
            total += l.Count;
        }

        int[] all = new int[total];
        int k = 0;
        foreach (List<int> l in latencies)
        {
            l.CopyTo(all, k);
            k += l.Count;
        }

        Array.Sort(all);
        var result = new PhaseResult(Name)
            .Add("connections", connections.ToString())
            .Add("seconds", seconds.ToString("F1"))
            .Add("requests", total.ToString())
            .Add("errors", errors.ToString())
            .Add("req/s", (total / seconds).ToString("F0"))
            .Add("p50 us", Percentile(all, 0.50).ToString())
            .Add("p99 us", Percentile(all, 0.99).ToString())
            .Add("p99.9 us", Percentile(all, 0.999).ToString())
            .Add("load-gen cpu s", selfCpu.TotalSeconds.ToString("F1"));
        if (before is { } b && after is { } a)
        {
            double cpu = a.CpuSeconds - b.CpuSeconds;
            result.Add("server cpu s", cpu.ToString("F2"))
                .Add("server cpu us/req", total == 0 ? "n/a" : (cpu * 1e6 / total).ToString("F1"))
                .Add("server rss MiB", (a.RssBytes / 1048576.0).ToString("F1"));
        }

        return result;
    }

    private static int Percentile(int[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * p))];
}
