using System.Collections.Concurrent;
using System.Diagnostics;

namespace Alteran.Load.Xrpc.Fanout;

/// <summary>
/// fanoutN: N live subscribers (raw sockets, see <see cref="RawSubscriber"/>) while createRecord runs open-loop at
/// --fanout-rate writes/s for the phase. Server RSS is read before connecting, with N idle caught-up subscribers,
/// and at its peak during the writes. Each write's latency is taken to the LAST subscriber receiving its frame (frames
/// matched by seq; subscriber 0 maps seq → record path, and the writer knows each path's send and ack time).
/// Server CPU (utime + stime) is taken over writes + drain and divided by delivered frames and by writes.
/// </summary>
internal sealed class FanoutPhase(XrpcOptions options, XrpcClient client) : IFrameSink
{
    private readonly ConcurrentDictionary<string, long> _seqByPath = new(StringComparer.Ordinal);
    private SeqBoard _board = null!;
    private long _errorFrames;
    private long _seqUnknown;

    public void OnMessage(RawSubscriber subscriber, ReadOnlySpan<byte> head, long length, long now)
    {
        (int op, long seq) = FrameHead.Read(head);
        if (op == -1)
        {
            Interlocked.Increment(ref _errorFrames); // e.g. ConsumerTooSlow
            return;
        }

        if (seq < 0)
        {
            Interlocked.Increment(ref _seqUnknown);
            return;
        }

        _board.Record(seq, now);
        if (subscriber.Index == 0)
        {
            (_, string? path) = FrameHeadPath.Read(head);
            if (path is not null)
            {
                _seqByPath[path] = seq;
            }
        }
    }

    public async Task<PhaseReport> RunAsync(string name, int subscribers, TimeSpan duration, CancellationToken ct)
    {
        var report = new PhaseReport(name);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(duration + TimeSpan.FromSeconds(240)); // whole phase: connect, settle, writes, drain

        long head = await HeadSeqProbe.FindAsync(client, cts.Token);
        int rate = options.FanoutRate;
        int maxWrites = (int)Math.Min(options.MaxOps, Math.Min(4_000_000, (long)rate * (int)Math.Ceiling(duration.TotalSeconds) + 16));
        _board = new SeqBoard(head + 1, maxWrites + 1024, subscribers);

        await Task.Delay(1000, cts.Token);
        ServerSample? before = Sample();
        await using SubscriberSet set = await SubscriberSet.ConnectAsync(client.BaseUri, cursor: null, subscribers, options.FanoutPerSource, this, cts.Token);
        Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {name}: {set.Connected}/{subscribers} connected in {set.ConnectSeconds:F1} s{(set.FirstError is null ? "" : ", first error: " + set.FirstError)}");
        await Task.Delay(2000, cts.Token); // idle, caught up
        ServerSample? idle = Sample();
        long framesBefore = set.TotalMessages();

        // Open loop: write k is due at k / rate seconds; at most --fanout-in-flight outstanding (else skipped).
        string[] paths = new string[maxWrites];
        long[] sentAt = new long[maxWrites];
        long[] ackAt = new long[maxWrites];
        var writeLat = new Latencies(1);
        long writesOk = 0, writeErrors = 0, skipped = 0, inFlight = 0;
        string? firstWriteError = null;
        var pending = new List<Task>(maxWrites);
        ServerSample? cpu0 = Sample();
        TimeSpan self0 = Process.GetCurrentProcess().TotalProcessorTime;
        long peakRss = idle?.RssBytes ?? 0;
        long start = Stopwatch.GetTimestamp();
        int k = 0;
        while (k < maxWrites && !cts.IsCancellationRequested)
        {
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            if (elapsed >= duration)
            {
                break;
            }

            long due = Math.Min(maxWrites, (long)(elapsed.TotalSeconds * rate) + 1);
            for (; k < due; k++)
            {
                if (Interlocked.Read(ref inFlight) >= options.FanoutInFlight)
                {
                    skipped++;
                    continue;
                }

                int w = k;
                string rkey = PostFactory.NextTid();
                paths[w] = PostFactory.Collection + "/" + rkey;
                Interlocked.Increment(ref inFlight);
                pending.Add(Task.Run(async () =>
                {
                    sentAt[w] = Stopwatch.GetTimestamp();
                    try
                    {
                        XrpcResponse resp = await client.PostAsync("com.atproto.repo.createRecord", PostFactory.CreateRecordBody(client.Did, rkey), "application/json", ct);
                        ackAt[w] = Stopwatch.GetTimestamp();
                        if (resp.Ok)
                        {
                            Interlocked.Increment(ref writesOk);
                        }
                        else
                        {
                            Interlocked.Increment(ref writeErrors);
                            Interlocked.CompareExchange(ref firstWriteError, ClosedLoop.Describe(resp), null);
                            ackAt[w] = 0;
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        Interlocked.Increment(ref writeErrors);
                        Interlocked.CompareExchange(ref firstWriteError, ex.GetType().Name + ": " + ex.Message, null);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref inFlight);
                    }
                }, CancellationToken.None));
            }

            if (Sample() is { } s && s.RssBytes > peakRss)
            {
                peakRss = s.RssBytes;
            }

            long nextDue = k + 1;
            TimeSpan wait = TimeSpan.FromSeconds(nextDue / (double)rate) - Stopwatch.GetElapsedTime(start);
            await Task.Delay(wait > TimeSpan.FromMilliseconds(1) ? (wait < TimeSpan.FromMilliseconds(100) ? wait : TimeSpan.FromMilliseconds(100)) : TimeSpan.FromMilliseconds(1), CancellationToken.None);
        }

        await Task.WhenAll(pending);
        double writeSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

        // Drain: until every subscriber has every acknowledged write's frame, or 5 s without progress (30 s at most).
        long expected = writesOk * set.Connected;
        long lastTotal = -1;
        long lastProgress = Stopwatch.GetTimestamp();
        long drainStart = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(lastProgress) < TimeSpan.FromSeconds(5) && Stopwatch.GetElapsedTime(drainStart) < TimeSpan.FromSeconds(30))
        {
            long total = set.TotalMessages() - framesBefore;
            if (total >= expected)
            {
                break;
            }

            if (total != lastTotal)
            {
                lastTotal = total;
                lastProgress = Stopwatch.GetTimestamp();
            }

            if (Sample() is { } s && s.RssBytes > peakRss)
            {
                peakRss = s.RssBytes;
            }

            await Task.Delay(50, CancellationToken.None);
        }

        ServerSample? cpu1 = Sample();
        double selfCpu = (Process.GetCurrentProcess().TotalProcessorTime - self0).TotalSeconds;
        long delivered = set.TotalMessages() - framesBefore;
        long lastFrame = 0;
        foreach (RawSubscriber s in set.All)
        {
            lastFrame = Math.Max(lastFrame, Volatile.Read(ref s.LastMessageAt));
        }

        // Per write: its seq (via subscriber 0), then the time the last subscriber got it.
        var fromAck = new List<double>(k);
        var fromSent = new List<double>(k);
        var firstFromAck = new List<double>(k);
        var spread = new List<double>(k);
        int unmatched = 0, incomplete = 0;
        for (int w = 0; w < k; w++)
        {
            if (paths[w] is null || ackAt[w] == 0)
            {
                continue;
            }

            writeLat.Add(0, (long)Stopwatch.GetElapsedTime(sentAt[w], ackAt[w]).TotalMicroseconds);
            if (!_seqByPath.TryGetValue(paths[w], out long seq))
            {
                unmatched++;
                continue;
            }

            long last = _board.LastAt(seq);
            long first = _board.FirstAt(seq);
            if (first != 0)
            {
                firstFromAck.Add(SeqBoard.Ms(ackAt[w], first));
            }

            if (last == 0)
            {
                incomplete++;
                continue;
            }

            fromAck.Add(SeqBoard.Ms(ackAt[w], last));
            fromSent.Add(SeqBoard.Ms(sentAt[w], last));
            spread.Add(SeqBoard.Ms(first, last));
        }

        long[] wl = writeLat.Sorted();
        report.Ops = writesOk;
        report.Errors = writeErrors;
        report.Seconds = writeSeconds;
        report.P50Ms = Latencies.PercentileMs(wl, 0.50);
        report.P99Ms = Latencies.PercentileMs(wl, 0.99);
        report.P999Ms = Latencies.PercentileMs(wl, 0.999);
        report.FirstError = firstWriteError ?? set.FirstError ?? set.FirstCloseReason();
        double deliverySeconds = lastFrame > start ? Stopwatch.GetElapsedTime(start, lastFrame).TotalSeconds : writeSeconds;
        double serverCpu = cpu0 is { } c0 && cpu1 is { } c1 ? c1.CpuSeconds - c0.CpuSeconds : double.NaN;
        const double MiB = 1048576.0;
        report.Add("subscribers", subscribers).Add("connected", set.Connected).Add("connectSeconds", set.ConnectSeconds)
            .Add("offeredRate", rate).Add("writesOk", writesOk).Add("writesPerSecond", writesOk / writeSeconds).Add("writesSkipped", skipped)
            .Add("framesDelivered", delivered)
            .Add("deliveredShare", expected > 0 ? (double)delivered / expected : 0)
            .Add("framesPerSecond", deliverySeconds > 0 ? delivered / deliverySeconds : 0)
            .Add("lastSubscriberFromAckP50Ms", Percentile(fromAck, 0.50)).Add("lastSubscriberFromAckP99Ms", Percentile(fromAck, 0.99))
            .Add("lastSubscriberFromSentP50Ms", Percentile(fromSent, 0.50)).Add("lastSubscriberFromSentP99Ms", Percentile(fromSent, 0.99))
            .Add("firstSubscriberFromAckP50Ms", Percentile(firstFromAck, 0.50))
            .Add("spreadP50Ms", Percentile(spread, 0.50)).Add("spreadP99Ms", Percentile(spread, 0.99))
            .Add("writesMatched", fromAck.Count).Add("writesUnmatched", unmatched).Add("writesNotAtAll", incomplete)
            .Add("errorFrames", _errorFrames).Add("framesWithoutSeq", _seqUnknown).Add("framesOutOfRange", _board.OutOfRange)
            .Add("subscribersClosed", set.Closed())
            .Add("serverCpuSecondsWrites", serverCpu)
            .Add("serverCpuUsPerFrame", delivered > 0 ? serverCpu * 1e6 / delivered : double.NaN)
            .Add("serverCpuUsPerWrite", writesOk > 0 ? serverCpu * 1e6 / writesOk : double.NaN)
            .Add("clientCpuSeconds", selfCpu);
        if (before is { } b && idle is { } i)
        {
            report.Add("rssBeforeMiB", b.RssBytes / MiB).Add("rssIdleSubscribersMiB", i.RssBytes / MiB).Add("rssPeakWritesMiB", peakRss / MiB)
                .Add("bytesPerSubscriber", set.Connected > 0 ? (i.RssBytes - b.RssBytes) / (double)set.Connected : double.NaN)
                .Add("bytesPerSubscriberWrites", set.Connected > 0 ? (peakRss - b.RssBytes) / (double)set.Connected : double.NaN);
        }

        return report;
    }

    private ServerSample? Sample()
    {
        try
        {
            return ServerSample.Read(options.ServerPid);
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        return values[Math.Min(values.Count - 1, (int)(values.Count * p))];
    }
}
