using System.Text;
using Alteran.Net.Firehose;
using Alteran.Net.Http;
using Alteran.Net.WebSockets;
using Alteran.Net.Xrpc;
using Alteran.Storage;
using Alteran.Storage.Log;

namespace Alteran.Net.Jetstream;

/// <summary>
/// Jetstream-compatible <c>GET /subscribe</c> (WebSocket): JSON events (text frames), or with <c>compress=true</c> /
/// <c>Socket-Encoding: zstd</c> one zstd frame per event with Jetstream's dictionary (binary frames). Options are
/// checked before the upgrade (400 with the reason); <c>options_update</c> messages replace the filter.
/// <para>
/// Every subscriber reads the <see cref="JetstreamFeed"/>'s shared, once-encoded batches by seq, filtering in place
/// (no per-subscriber copies or allocation). A <c>cursor</c> (unix µs) is turned into a seq by a binary search of the
/// event log's times; the subscriber then converts the log itself (its own converter, started a little before the
/// cursor so its <c>time_us</c> values match the feed's) until its position is inside the feed's ring, and goes on
/// from there: no gap, no duplicate.
/// </para>
/// </summary>
public sealed class JetstreamSubscription
{
    /// <summary>The endpoint's path.</summary>
    public const string Path = "/subscribe";

    // Start a cursor replay this much earlier than asked (then skip), so the converter's time_us run has converged.
    private const long ReplayLeadMs = 1000;
    private const int ReplayBatch = 256;

    private readonly JetstreamFeed _feed;
    private readonly SubscriberLimiter _limiter;
    private readonly FirehoseOptions _options;
    private readonly TimeProvider _time;
    private int _subscribers;

    /// <summary>Creates the handler over <paramref name="feed"/>; <paramref name="limiter"/> is shared with <c>subscribeRepos</c>.</summary>
    public JetstreamSubscription(JetstreamFeed feed, SubscriberLimiter limiter, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(limiter);
        _feed = feed;
        _limiter = limiter;
        _options = feed.Sequencer.Options;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Current subscribers.</summary>
    public int SubscriberCount => Volatile.Read(ref _subscribers);

    /// <summary>Maps <see cref="Path"/> on <paramref name="router"/>.</summary>
    public void Register(XrpcRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);
        router.MapPath(Path, XrpcMethodKind.Subscription, SubscribeAsync);
    }

    /// <summary>The request handler.</summary>
    public async ValueTask SubscribeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        JetstreamSubscribeOptions options;
        try
        {
            string query = Encoding.Latin1.GetString(context.Request.QueryString);
            string encoding = context.Request.GetHeader("socket-encoding"u8) ?? "";
            long nowUs = _time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
            options = JetstreamSubscribeOptions.Parse(query, encoding, nowUs);
        }
        catch (JetstreamOptionsException ex)
        {
            throw XrpcException.InvalidRequest(ex.Message);
        }

        System.Net.IPAddress address = context.Request.RemoteAddress;
        _limiter.Acquire(address);
        Interlocked.Increment(ref _subscribers);
        if (options.Compress)
            _feed.AddCompressingSubscriber();
        try
        {
            var subscriber = new Subscriber(options);
            // A live position is taken before the upgrade: whatever is written once the client sees 101 reaches it.
            long liveFrom = _feed.Ring.Head + 1;
            WebSocketConnection ws = await context.AcceptWebSocketAsync(subscriber.Attach).ConfigureAwait(false);
            try
            {
                await RunAsync(ws, subscriber, options, liveFrom).ConfigureAwait(false);
            }
            finally
            {
                await ws.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            if (options.Compress)
                _feed.RemoveCompressingSubscriber();
            Interlocked.Decrement(ref _subscribers);
            _limiter.Release(address);
        }
    }

    private async Task RunAsync(WebSocketConnection ws, Subscriber sub, JetstreamSubscribeOptions options, long liveFrom)
    {
        if (options.RequireHello)
        {
            await Task.WhenAny(sub.Hello, ws.Completion).ConfigureAwait(false);
            if (!sub.Hello.IsCompleted)
                return;
        }
        SeqRing<JetstreamBatch> ring = _feed.Ring;
        AlteranStore store = _feed.Sequencer.Store;
        long next;
        bool live;
        long skipBeforeUs = long.MinValue;
        if (options.Cursor.IsLiveTail)
        {
            next = liveFrom;
            live = true;
        }
        else
        {
            skipBeforeUs = options.Cursor.StartUs;
            next = FindReplayStart(store, skipBeforeUs / 1000 - ReplayLeadMs, Math.Max(store.LastSeq, ring.Head));
            live = false;
        }

        // A closing subscriber wakes the ring once (coalesced), so idle subscribers need no periodic wake-up.
        using CancellationTokenRegistration wake = ws.Closed.UnsafeRegister(static r => ((SeqRing<JetstreamBatch>)r!).SignalSoon(), ring);
        JetstreamFrameConverter? converter = null;
        try
        {
            while (!ws.Closed.IsCancellationRequested)
            {
                switch (ring.TryRead(next, out JetstreamBatch? batch))
                {
                    case RingReadStatus.Ok:
                        if (live && ring.Head - next > _options.MaxLagEvents)
                        {
                            await ws.CloseAsync(WebSocketCloseStatus.PolicyViolation, "consumer too slow").ConfigureAwait(false);
                            return;
                        }
                        if (converter is not null)
                        {
                            converter.Dispose(); // in the ring: the feed's batches from here on
                            converter = null;
                        }
                        // Write what this batch and the ones already after it hold for the subscriber, flush once.
                        if (WriteAvailable(ws, sub, ring, batch!, ref next, ref skipBeforeUs))
                        {
                            if (!await ws.TryFlushAsync().ConfigureAwait(false))
                                return;
                        }
                        else
                        {
                            if (!await SendBatchAsync(ws, sub, batch!, ref skipBeforeUs).ConfigureAwait(false))
                                return;
                            next++;
                        }
                        break;
                    case RingReadStatus.Hole:
                        next++;
                        break;
                    case RingReadStatus.NotYet:
                        live = true;
                        Task signal = ring.NextSignal;
                        if (ring.Head < next && !ws.Closed.IsCancellationRequested)
                            await signal.ConfigureAwait(false);
                        break;
                    default: // before the ring: convert from the event log
                        if (live && ring.Head - next > _options.MaxLagEvents)
                        {
                            await ws.CloseAsync(WebSocketCloseStatus.PolicyViolation, "consumer too slow").ConfigureAwait(false);
                            return;
                        }
                        converter ??= new JetstreamFrameConverter();
                        next = await ReplayAsync(ws, sub, store, converter, next, options.Compress, skipBeforeUs).ConfigureAwait(false);
                        if (next < 0)
                            return;
                        skipBeforeUs = sub.SkipBeforeUs;
                        break;
                }
            }
        }
        finally
        {
            converter?.Dispose();
        }
    }

    // Converts and sends one batch of logged events from `next`; returns the next seq wanted (-1: socket failed).
    private async Task<long> ReplayAsync(WebSocketConnection ws, Subscriber sub, AlteranStore store,
        JetstreamFrameConverter converter, long next, bool compress, long skipBeforeUs)
    {
        var batches = new List<JetstreamBatch>(ReplayBatch);
        using (EventCursor events = store.ReadEvents(next - 1))
        {
            while (batches.Count < ReplayBatch && events.MoveNext())
                batches.Add(converter.Convert(events.Seq, events.Frame.ToArray(), compress));
        }
        if (batches.Count == 0)
        {
            // Nothing logged beyond `next` yet: wait for the feed (it cannot lap us past the log).
            Task signal = _feed.Ring.NextSignal;
            if (_feed.Ring.Head < next && !ws.Closed.IsCancellationRequested)
                await signal.ConfigureAwait(false);
            sub.SkipBeforeUs = skipBeforeUs;
            return next;
        }
        foreach (JetstreamBatch batch in batches)
        {
            if (!await SendBatchAsync(ws, sub, batch, ref skipBeforeUs).ConfigureAwait(false))
                return -1;
            next = batch.Seq + 1;
        }
        sub.SkipBeforeUs = skipBeforeUs;
        return next;
    }

    private const int MaxBurstBytes = 256 * 1024;

    // Buffers the wanted events of `first` (the batch at `next`) and of the batches already after it, up to a byte
    // budget, advancing `next` past them; false if nothing could be buffered (another send holds the socket).
    private static bool WriteAvailable(WebSocketConnection ws, Subscriber sub, SeqRing<JetstreamBatch> ring, JetstreamBatch first,
        ref long next, ref long skipBeforeUs)
    {
        if (!ws.TryBeginWrites())
            return false;
        try
        {
            WebSocketOpcode opcode = sub.Compress ? WebSocketOpcode.Binary : WebSocketOpcode.Text;
            int bytes = 0;
            JetstreamBatch batch = first;
            while (true)
            {
                foreach (JetstreamEncodedEvent e in batch.Events)
                {
                    if (!Wanted(sub, e, ref skipBeforeUs, out ReadOnlyMemory<byte> payload))
                        continue;
                    ws.WriteBuffered(opcode, payload.Span);
                    bytes += payload.Length;
                }
                next++;
                if (bytes >= MaxBurstBytes)
                    return true;
                RingReadStatus status;
                JetstreamBatch? following;
                while ((status = ring.TryRead(next, out following)) == RingReadStatus.Hole)
                    next++;
                if (status != RingReadStatus.Ok)
                    return true;
                batch = following!;
            }
        }
        finally
        {
            ws.EndWrites();
        }
    }

    // Whether the subscriber's current filter wants `e` (and its payload); `skip` drops events before a replay cursor
    // and is cleared at the first event at or after it.
    private static bool Wanted(Subscriber sub, JetstreamEncodedEvent e, ref long skip, out ReadOnlyMemory<byte> payload)
    {
        payload = default;
        if (e.TimeUs < skip)
            return false;
        skip = long.MinValue;
        JetstreamFilter filter = sub.Filter;
        if (!filter.Matches(e.Did, e.Collection))
            return false;
        payload = sub.Compress ? e.GetOrCreateCompressed() : e.Json;
        return filter.AcceptsSize(payload.Length);
    }

    // Sends the batch's events that the subscriber's current filter wants. `skipBeforeUs` drops events before a
    // replay cursor; it is cleared at the first event at or after it.
    private static ValueTask<bool> SendBatchAsync(WebSocketConnection ws, Subscriber sub, JetstreamBatch batch, ref long skipBeforeUs)
    {
        JetstreamEncodedEvent[] events = batch.Events;
        for (int i = 0; i < events.Length; i++)
        {
            if (!Wanted(sub, events[i], ref skipBeforeUs, out _))
                continue;
            // Rare: several wanted events in one batch (a multi-op commit). Send the rest asynchronously.
            return SendFromAsync(ws, sub, events, i, skipBeforeUs);
        }
        return new ValueTask<bool>(true);
    }

    private static async ValueTask<bool> SendFromAsync(WebSocketConnection ws, Subscriber sub, JetstreamEncodedEvent[] events, int start, long skipBeforeUs)
    {
        for (int i = start; i < events.Length; i++)
        {
            if (!Wanted(sub, events[i], ref skipBeforeUs, out ReadOnlyMemory<byte> payload))
                continue;
            try
            {
                if (sub.Compress)
                    await ws.SendBinaryAsync(payload).ConfigureAwait(false);
                else
                    await ws.SendTextAsync(payload).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// The first seq whose logged time is at or after <paramref name="timeMs"/> (binary search of the log; logged
    /// times follow seq order), or the seq after <paramref name="last"/> when none is.
    /// </summary>
    internal static long FindReplayStart(AlteranStore store, long timeMs, long last)
    {
        long lo = Math.Max(1, store.FirstSeq), hi = last + 1;
        for (int i = 0; i < 80 && lo < hi; i++)
        {
            long mid = lo + (hi - lo) / 2;
            using EventCursor probe = store.ReadEvents(mid - 1, hi - 1);
            if (!probe.MoveNext())
            {
                hi = mid; // nothing logged in [mid, hi): the answer is below mid (or hi itself)
                continue;
            }
            if (probe.Time >= timeMs)
                hi = mid;
            else
                lo = probe.Seq + 1;
        }
        return lo;
    }

    /// <summary>One connection's mutable state: its filter (swapped on <c>options_update</c>) and hello.</summary>
    private sealed class Subscriber(JetstreamSubscribeOptions options)
    {
        private readonly TaskCompletionSource _hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile JetstreamFilter _filter = options.Filter;
        private WebSocketConnection? _ws;

        public JetstreamFilter Filter => _filter;

        public bool Compress { get; } = options.Compress;

        public Task Hello => _hello.Task;

        // Carries the replay's skip position across the async replay call (refs cannot cross awaits).
        public long SkipBeforeUs { get; set; } = long.MinValue;

        public void Attach(WebSocketConnection ws)
        {
            _ws = ws;
            ws.MaxInboundMessageBytes = JetstreamLimits.MaxSubscriberMessageBytes;
            ws.MessageReceived = OnMessage;
        }

        private void OnMessage(WebSocketOpcode opcode, ReadOnlyMemory<byte> message)
        {
            if (opcode != WebSocketOpcode.Text)
                return;
            try
            {
                if (JetstreamSubscriberMessage.ParseOptionsUpdate(message.Span) is { } filter)
                {
                    _filter = filter;
                    _hello.TrySetResult();
                }
            }
            catch (JetstreamOptionsException ex)
            {
                _ = _ws?.CloseAsync(WebSocketCloseStatus.PolicyViolation, ex.Message).AsTask();
            }
        }
    }
}
