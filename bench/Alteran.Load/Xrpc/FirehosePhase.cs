using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;

namespace Alteran.Load.Xrpc;

/// <summary>
/// firehoseN: a probe finds the current seq (one write, read back from a live subscription); N subscribers connect
/// to com.atproto.sync.subscribeRepos with cursor = that seq; writers then run createRecord (closed loop) for the
/// phase; finally the phase waits until every subscriber has every event (or 5 s pass without progress, 30 s at
/// most). All subscribers count frames; the first --firehose-probes decode each frame's seq and ops[0].path, which
/// maps it to the write (rkeys are made here) and gives write-request-sent → frame-received latency and seq gaps.
/// </summary>
internal sealed class FirehosePhase(XrpcOptions options, XrpcClient client)
{
    private readonly ConcurrentDictionary<string, long> _sentAt = new(StringComparer.Ordinal);

    public async Task<PhaseReport> RunAsync(string name, int subscribers, TimeSpan duration, CancellationToken ct)
    {
        var report = new PhaseReport(name);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(duration + TimeSpan.FromSeconds(90)); // whole phase, including connect and drain

        long cursor = await FindCurrentSeqAsync(cts.Token);
        var subs = new Subscriber[subscribers];
        for (int i = 0; i < subscribers; i += 50)
        {
            var batch = new List<Task>();
            for (int j = i; j < Math.Min(subscribers, i + 50); j++)
            {
                subs[j] = new Subscriber(decode: j < options.FirehoseProbes, this);
                batch.Add(subs[j].ConnectAsync(SubscribeUri(cursor), cts.Token));
            }

            await Task.WhenAll(batch);
        }

        Task[] readers = subs.Select(s => s.ReadLoopAsync(cts.Token)).ToArray();
        long writeStart = Stopwatch.GetTimestamp();
        long writesOk = 0;
        LoopResult writes = await ClosedLoop.RunAsync(options.FirehoseWriters, duration, options.MaxOps, async (_, c) =>
        {
            string rkey = PostFactory.NextTid();
            _sentAt[PostFactory.Collection + "/" + rkey] = Stopwatch.GetTimestamp();
            XrpcResponse resp = await client.PostAsync("com.atproto.repo.createRecord", PostFactory.CreateRecordBody(client.Did, rkey), "application/json", c);
            if (!resp.Ok)
            {
                throw new XrpcFailure(resp);
            }

            Interlocked.Increment(ref writesOk);
            return true;
        }, cts.Token);

        // Drain: until every subscriber has every event, or no progress for 5 s (bounded by the phase token).
        long lastTotal = -1;
        long lastProgress = Stopwatch.GetTimestamp();
        while (!cts.IsCancellationRequested && Stopwatch.GetElapsedTime(lastProgress) < TimeSpan.FromSeconds(5) && Stopwatch.GetElapsedTime(writeStart) < duration + TimeSpan.FromSeconds(30))
        {
            long total = subs.Sum(s => Volatile.Read(ref s.Frames));
            if (total >= writesOk * subscribers)
            {
                break;
            }

            if (total != lastTotal)
            {
                lastTotal = total;
                lastProgress = Stopwatch.GetTimestamp();
            }

            await Task.Delay(50, CancellationToken.None);
        }

        foreach (Subscriber s in subs)
        {
            s.Abort();
        }

        await Task.WhenAll(readers);
        long delivered = subs.Sum(s => s.Frames);
        long lastFrame = subs.Max(s => s.LastFrameAt);
        double deliverySeconds = lastFrame > writeStart ? Stopwatch.GetElapsedTime(writeStart, lastFrame).TotalSeconds : writes.Seconds;
        var probeLat = new Latencies(1);
        long gaps = 0, unmatched = 0, decodeErrors = 0, errorFrames = 0;
        foreach (Subscriber s in subs.Where(s => s.Decode))
        {
            foreach (long l in s.LatencyMicros)
            {
                probeLat.Add(0, l);
            }

            gaps += s.SeqGaps;
            unmatched += s.Unmatched;
            decodeErrors += s.DecodeErrors;
            errorFrames += s.ErrorFrames;
        }

        long[] lat = probeLat.Sorted();
        report.From(writes);
        report.FirstError ??= subs.Select(s => s.Error).FirstOrDefault(e => e is not null);
        return report
            .Add("subscribers", subscribers)
            .Add("writesOk", writesOk)
            .Add("writesPerSecond", writes.Seconds > 0 ? writesOk / writes.Seconds : 0)
            .Add("deliveredShare", writesOk * subscribers > 0 ? (double)delivered / (writesOk * subscribers) : 0)
            .Add("framesPerSecond", deliverySeconds > 0 ? delivered / deliverySeconds : 0)
            .Add("frameLatencyP50Ms", Latencies.PercentileMs(lat, 0.50))
            .Add("frameLatencyP99Ms", Latencies.PercentileMs(lat, 0.99))
            .Add("probeFrames", lat.Length)
            .Add("probeSeqGaps", gaps)
            .Add("probeUnmatched", unmatched)
            .Add("probeDecodeErrors", decodeErrors)
            .Add("probeErrorFrames", errorFrames)
            .Add("subscribersFailed", subs.Count(s => s.Error is not null));
    }

    private Uri SubscribeUri(long? cursor)
    {
        var b = new UriBuilder(client.BaseUri) { Scheme = "ws", Path = client.BaseUri.AbsolutePath.TrimEnd('/') + "/xrpc/com.atproto.sync.subscribeRepos" };
        b.Query = cursor is long c ? "cursor=" + c : "";
        return b.Uri;
    }

    /// <summary>One write, read back on a live subscription: its seq is "now".</summary>
    private async Task<long> FindCurrentSeqAsync(CancellationToken ct)
    {
        using var probe = new ClientWebSocket();
        await probe.ConnectAsync(SubscribeUri(null), ct);
        string rkey = PostFactory.NextTid();
        string path = PostFactory.Collection + "/" + rkey;
        // The subscription may need a moment before it sees live events; write, then wait up to 10 s for the frame.
        await Task.Delay(200, ct);
        XrpcResponse resp = await client.PostAsync("com.atproto.repo.createRecord", PostFactory.CreateRecordBody(client.Did, rkey), "application/json", ct);
        if (!resp.Ok)
        {
            throw new XrpcFailure(resp);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var buffer = new MemoryStream();
        byte[] chunk = new byte[64 * 1024];
        for (int frames = 0; frames < 100_000; frames++)
        {
            buffer.SetLength(0);
            ValueWebSocketReceiveResult r;
            do
            {
                r = await probe.ReceiveAsync(chunk.AsMemory(), timeout.Token);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    throw new InvalidOperationException("subscribeRepos closed before the probe write arrived");
                }

                buffer.Write(chunk, 0, r.Count);
            }
            while (!r.EndOfMessage);

            FirehoseFrame f = FirehoseFrame.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            if (f.FirstPath == path)
            {
                probe.Abort();
                return f.Seq;
            }
        }

        throw new InvalidOperationException("probe write not seen on subscribeRepos");
    }

    /// <summary>One WebSocket subscriber: counts frames; if <see cref="Decode"/>, also matches them to writes.</summary>
    private sealed class Subscriber(bool decode, FirehosePhase owner)
    {
        private readonly ClientWebSocket _ws = new();
        public long Frames;
        public long LastFrameAt;
        public readonly List<long> LatencyMicros = [];
        public long SeqGaps;
        public long Unmatched;
        public long DecodeErrors;
        public long ErrorFrames;
        public string? Error;

        public bool Decode { get; } = decode;

        public async Task ConnectAsync(Uri uri, CancellationToken ct)
        {
            try
            {
                await _ws.ConnectAsync(uri, ct);
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException)
            {
                Error = "connect: " + ex.Message;
            }
        }

        public void Abort() => _ws.Abort();

        public async Task ReadLoopAsync(CancellationToken ct)
        {
            if (Error is not null)
            {
                _ws.Dispose();
                return;
            }

            byte[] chunk = new byte[Decode ? 64 * 1024 : 16 * 1024];
            var frame = Decode ? new MemoryStream() : null;
            long lastSeq = -1;
            try
            {
                while (true)
                {
                    ValueWebSocketReceiveResult r = await _ws.ReceiveAsync(chunk.AsMemory(), ct);
                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        Error ??= "closed by server: " + _ws.CloseStatusDescription;
                        return;
                    }

                    frame?.Write(chunk, 0, r.Count);
                    if (!r.EndOfMessage)
                    {
                        continue;
                    }

                    long now = Stopwatch.GetTimestamp();
                    Volatile.Write(ref LastFrameAt, now);
                    Interlocked.Increment(ref Frames);
                    if (frame is null)
                    {
                        continue;
                    }

                    try
                    {
                        FirehoseFrame f = FirehoseFrame.Decode(frame.GetBuffer().AsSpan(0, (int)frame.Length));
                        if (f.Op == -1)
                        {
                            ErrorFrames++; // e.g. ConsumerTooSlow, OutdatedCursor
                            frame.SetLength(0);
                            continue;
                        }

                        if (f.Seq >= 0)
                        {
                            if (lastSeq >= 0 && f.Seq != lastSeq + 1)
                            {
                                SeqGaps++;
                            }

                            lastSeq = f.Seq;
                        }

                        if (f.FirstPath is not null && owner._sentAt.TryGetValue(f.FirstPath, out long sent))
                        {
                            LatencyMicros.Add((long)Stopwatch.GetElapsedTime(sent, now).TotalMicroseconds);
                        }
                        else
                        {
                            Unmatched++;
                        }
                    }
                    catch (Alteran.Protocol.Cbor.DagCborException)
                    {
                        DecodeErrors++;
                    }

                    frame.SetLength(0);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Aborted at the end of the phase (or the connection dropped): stop counting.
            }
            finally
            {
                _ws.Dispose();
            }
        }
    }
}
