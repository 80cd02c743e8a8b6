namespace Alteran.Load.Xrpc;

/// <summary>Entry of the XRPC mode: parse options, refuse non-loopback targets, run the phases, print and save.</summary>
internal static class XrpcMain
{
    public static async Task<int> RunAsync(Dictionary<string, string> raw)
    {
        XrpcOptions options;
        Uri target;
        try
        {
            options = XrpcOptions.Parse(raw);
            target = LoopbackUri.Parse(options.Target);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException or OverflowException)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(XrpcOptions.Usage);
            return 2;
        }

        if (options.Phases.Exists(p => p.StartsWith("fanout", StringComparison.Ordinal) || p.StartsWith("replay", StringComparison.Ordinal))
            && Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
        {
            // Thousands of subscriber sockets: run socket continuations on the epoll thread instead of hopping to the
            // thread pool (measured: about a quarter less client CPU per frame). Read once, at the first socket operation.
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(options.MaxTotalSeconds + 120));
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        using var client = new XrpcClient(target);
        await using var monitor = new ResourceMonitor(options.ServerPid);
        var run = new XrpcRun(options, client, monitor);
        List<PhaseReport> reports;
        try
        {
            reports = await run.RunAsync(cts.Token);
        }
        catch (LoginFailedException ex)
        {
            Console.Error.WriteLine($"error: login as {options.Handle} failed ({ex.Message}); no phase was run. Check --handle/--password.");
            return 3;
        }

        string label = options.Label.Length > 0 ? options.Label : target.ToString();
        Console.WriteLine();
        Console.WriteLine($"== {label} ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {ResourceMonitor.LoadAverage1():F1}, {Environment.ProcessorCount} cpus)");
        PhaseReport.WriteTable(Console.Out, reports);
        if (options.Out is not null)
        {
            PhaseReport.WriteJson(options.Out, label, target.ToString(), reports);
        }

        return reports.Exists(r => r.Skipped?.StartsWith("failed", StringComparison.Ordinal) == true) ? 1 : 0;
    }
}
