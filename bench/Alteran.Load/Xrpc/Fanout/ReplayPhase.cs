using System.Diagnostics;

namespace Alteran.Load.Xrpc.Fanout;

/// <summary>
/// replayN: the head seq is found with one write (<see cref="HeadSeqProbe"/>), then N subscribers connect with
/// cursor=0 and read the whole event log; a subscriber is caught up when it receives the head seq's frame. Reports
/// frames/s and MB/s (all subscribers together, until the last one is caught up) and the catch-up time. Bounded by
/// --phase-seconds + 120 s, and ends early after 10 s without any frame.
/// </summary>
internal sealed class ReplayPhase(XrpcOptions options, XrpcClient client) : IFrameSink
{
    private long[] _caughtUpAt = [];
    private long _head;

    public void OnMessage(RawSubscriber subscriber, ReadOnlySpan<byte> head, long length, long now)
    {
        if (_caughtUpAt[subscriber.Index] != 0)
        {
            return;
        }

        (int op, long seq) = FrameHead.Read(head);
        if (op == 1 && seq >= _head)
        {
            _caughtUpAt[subscriber.Index] = now;
        }
    }

    public async Task<PhaseReport> RunAsync(string name, int subscribers, TimeSpan duration, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(duration + TimeSpan.FromSeconds(180));
        _head = await HeadSeqProbe.FindAsync(client, cts.Token);
        _caughtUpAt = new long[subscribers];
        await Task.Delay(500, cts.Token);
        ServerSample? cpu0 = Sample();
        TimeSpan self0 = Process.GetCurrentProcess().TotalProcessorTime;
        long start = Stopwatch.GetTimestamp();
        await using SubscriberSet set = await SubscriberSet.ConnectAsync(client.BaseUri, cursor: 0, subscribers, options.FanoutPerSource, this, cts.Token);
        long lastTotal = -1;
        long lastProgress = Stopwatch.GetTimestamp();
        TimeSpan bound = duration + TimeSpan.FromSeconds(120);
        while (!cts.IsCancellationRequested && Stopwatch.GetElapsedTime(start) < bound && Stopwatch.GetElapsedTime(lastProgress) < TimeSpan.FromSeconds(10))
        {
            if (Array.TrueForAll(_caughtUpAt, t => t != 0) || set.Connected == 0)
            {
                break;
            }

            long total = set.TotalMessages();
            if (total != lastTotal)
            {
                lastTotal = total;
                lastProgress = Stopwatch.GetTimestamp();
            }

            await Task.Delay(20, CancellationToken.None);
        }

        ServerSample? cpu1 = Sample();
        double selfCpu = (Process.GetCurrentProcess().TotalProcessorTime - self0).TotalSeconds;
        long frames = set.TotalMessages();
        long bytes = set.TotalBytes();
        int caughtUp = 0;
        long lastCaughtUp = 0;
        foreach (long t in _caughtUpAt)
        {
            if (t != 0)
            {
                caughtUp++;
                lastCaughtUp = Math.Max(lastCaughtUp, t);
            }
        }

        long end = lastCaughtUp != 0 && caughtUp == subscribers ? lastCaughtUp : Stopwatch.GetTimestamp();
        double seconds = Stopwatch.GetElapsedTime(start, end).TotalSeconds;
        double serverCpu = cpu0 is { } c0 && cpu1 is { } c1 ? c1.CpuSeconds - c0.CpuSeconds : double.NaN;
        var report = new PhaseReport(name)
        {
            Ops = frames,
            Seconds = seconds,
            FirstError = set.FirstError ?? (caughtUp < subscribers ? set.FirstCloseReason() ?? "not caught up before the bound" : null),
            Errors = subscribers - caughtUp,
        };
        return report.Add("subscribers", subscribers).Add("connected", set.Connected).Add("caughtUp", caughtUp)
            .Add("headSeq", _head).Add("framesPerSubscriber", subscribers > 0 ? frames / (double)subscribers : 0)
            .Add("catchUpSeconds", seconds)
            .Add("framesPerSecond", seconds > 0 ? frames / seconds : 0)
            .Add("mbPerSecond", seconds > 0 ? bytes / 1e6 / seconds : 0)
            .Add("bytes", bytes)
            .Add("serverCpuUsPerFrame", frames > 0 ? serverCpu * 1e6 / frames : double.NaN)
            .Add("clientCpuSeconds", selfCpu);
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
}
