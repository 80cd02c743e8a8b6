using System.Diagnostics;

namespace Alteran.Load.Xrpc;

/// <summary>Outcome of a closed-loop run: ops done, errors, wall seconds, latency samples (µs, sorted).</summary>
internal sealed record LoopResult(long Ops, long Errors, double Seconds, long[] LatencyMicros, string? FirstError);

/// <summary>
/// N workers, each starting the next operation as soon as its previous one ends, until the duration passes, the
/// op budget is spent, or <c>done</c> says stop; operations in flight at the deadline are allowed to finish. An operation returns true on success; false or an exception
/// counts as an error (the first error's text is kept for the report).
/// </summary>
internal static class ClosedLoop
{
    public delegate Task<bool> Operation(int worker, CancellationToken ct);

    public static async Task<LoopResult> RunAsync(int concurrency, TimeSpan duration, long maxOps, Operation op, CancellationToken ct, Func<bool>? done = null)
    {
        var lat = new Latencies(concurrency);
        long started = 0, errors = 0;
        string? firstError = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(duration);
        var clock = Stopwatch.StartNew();
        var tasks = new Task[concurrency];
        for (int i = 0; i < concurrency; i++)
        {
            int worker = i;
            tasks[i] = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested && (done is null || !done()) && Interlocked.Increment(ref started) <= maxOps)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    bool ok;
                    try
                    {
                        // The outer token, not the deadline: an op in flight at the deadline finishes and counts, so
                        // no request is abandoned half-way (an abandoned write may still commit and skew later phases).
                        ok = await op(worker, ct);
                    }
                    catch (OperationCanceledException) when (ct.IsCancellationRequested)
                    {
                        Interlocked.Decrement(ref started);
                        break;
                    }
                    catch (Exception ex)
                    {
                        Interlocked.CompareExchange(ref firstError, ex.GetType().Name + ": " + ex.Message, null);
                        ok = false;
                    }

                    lat.Add(worker, (long)Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
                    if (!ok)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
            }, CancellationToken.None);
        }

        await Task.WhenAll(tasks);
        double seconds = clock.Elapsed.TotalSeconds;
        long[] sorted = lat.Sorted();
        return new LoopResult(sorted.Length, errors, seconds, sorted, firstError);
    }

    /// <summary>Records an error text if none was kept yet (used by operations that fail without throwing).</summary>
    public static string Describe(XrpcResponse r) => $"HTTP {r.Status}: {Truncate(r.Text, 200)}";

    private static string Truncate(string s, int n) => s.Length <= n ? s : s[..n];
}
