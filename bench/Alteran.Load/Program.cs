using System.Globalization;

namespace Alteran.Load;

/// <summary>
/// Loopback-only load generator. Two modes: <c>--target</c> runs the end-to-end XRPC workload (see
/// <see cref="Xrpc.XrpcRun"/> and bench/README.md); <c>--url</c> runs the raw HTTP/1.1 keep-alive load below.
/// <code>
/// dotnet run -c Release --project bench/Alteran.Load -- --url http://127.0.0.1:2583/xrpc/_health \
///     --connections 64 --duration 10 --warmup 3 --pid &lt;server pid&gt; [--idle 1000,10000] [--mode load|idle] [--label alteran]
/// </code>
/// Phases: warm-up (not reported), keep-alive load, then optionally idle connections (RSS per connection).
/// Server CPU and RSS come from /proc/&lt;pid&gt;; the tool refuses any target that is not loopback.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        if (options.ContainsKey("target"))
        {
            return await Xrpc.XrpcMain.RunAsync(options);
        }

        if (!options.TryGetValue("url", out string? url))
        {
            Console.Error.WriteLine(Xrpc.XrpcOptions.Usage);
            Console.Error.WriteLine("   or: --url http://127.0.0.1:PORT/path --url http://127.0.0.1:PORT/path [--connections N] [--duration S] [--warmup S] [--pid PID] [--idle N[,N...]] [--mode load|idle] [--label NAME]");
            return 2;
        }

        LoadTarget target;
        try
        {
            target = LoadTarget.Parse(url);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        int connections = Get(options, "connections", 64);
        int duration = Math.Clamp(Get(options, "duration", 10), 1, 600);
        int warmup = Math.Clamp(Get(options, "warmup", 3), 0, 120);
        int pid = Get(options, "pid", 0);
        // --idle N or a list of steps, e.g. --idle 1000,10000 (RSS per idle connection at each).
        int[] idleSteps = options.TryGetValue("idle", out string? idleText)
            ? Array.ConvertAll(idleText.Split(',', StringSplitOptions.RemoveEmptyEntries), v => Math.Clamp(int.Parse(v, CultureInfo.InvariantCulture), 1, 50_000))
            : [];
        Array.Sort(idleSteps);
        int idle = idleSteps.Length > 0 ? idleSteps[^1] : 0;
        string label = options.GetValueOrDefault("label", target.Display);

        // --mode load: warm-up then keep-alive load (then idle if --idle). --mode idle: a short warm-up on one
        // connection (JIT) then only the idle phase, so RSS growth is not hidden by heap left over from load.
        string mode = options.GetValueOrDefault("mode", "load");
        var phases = new List<IPhase>();
        if (mode == "idle")
        {
            phases.Add(new KeepAlivePhase("warmup", 1, TimeSpan.FromSeconds(Math.Max(1, warmup))));
            phases.Add(new IdleConnectionsPhase(idleSteps.Length > 0 ? idleSteps : [1000], TimeSpan.FromSeconds(2)));
        }
        else
        {
            if (warmup > 0)
            {
                phases.Add(new KeepAlivePhase("warmup", connections, TimeSpan.FromSeconds(warmup)));
            }

            phases.Add(new KeepAlivePhase("keepalive", connections, TimeSpan.FromSeconds(duration)));
            if (idle > 0)
            {
                phases.Add(new IdleConnectionsPhase(idleSteps, TimeSpan.FromSeconds(2)));
            }
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(warmup + duration + 300));
        foreach (IPhase phase in phases)
        {
            PhaseResult result = await phase.RunAsync(target, pid, cts.Token);
            if (phase.Name == "warmup")
            {
                continue;
            }

            Console.WriteLine($"[{label}] {result.Name}: " + string.Join(", ", result.Figures.Select(f => $"{f.Key}={f.Value}")));
        }

        return 0;
    }

    private static int Get(Dictionary<string, string> options, string key, int fallback)
        => options.TryGetValue(key, out string? v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
