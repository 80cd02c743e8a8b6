using System.Buffers;
using Alteran.Net.Http;
using Alteran.Net.WebSockets;
using Alteran.Net.Xrpc;
using Alteran.Protocol.Sync;
using Alteran.Storage;
using Alteran.Storage.Log;

namespace Alteran.Net.Firehose;

/// <summary>
/// <c>com.atproto.sync.subscribeRepos</c>: one async loop per subscriber. Without a cursor it streams live events from
/// the <see cref="FrameRing"/>; with one it replays the event log in batches (each batch sent, with the socket's
/// backpressure, before the next is read) and cuts over to the ring once its position is inside it. The position is
/// a seq, so the cut-over has no gap and no duplicate. Every subscriber sends the same frame arrays (no re-encoding,
/// no copies). A subscriber lapped by the ring goes back to the log; one lagging more than
/// <see cref="FirehoseOptions.MaxLagEvents"/> or whose send stalls beyond <see cref="FirehoseOptions.SendStallTimeout"/>
/// gets <c>ConsumerTooSlow</c> and is closed, without ever delaying the writer or other subscribers.
/// </summary>
public sealed class FirehoseXrpc : IDisposable
{
    /// <summary>The method's NSID.</summary>
    public const string Nsid = "com.atproto.sync.subscribeRepos";

    private const int MaxReplayBatchBytes = 4 << 20;
    private static readonly byte[] FutureCursorFrame = ErrorFrame(FirehoseFrameWriter.FutureCursor, "Cursor is in the future");
    private static readonly byte[] ConsumerTooSlowFrame = ErrorFrame(FirehoseFrameWriter.ConsumerTooSlow, "Stream consumer too slow");
    private static readonly byte[] OutdatedCursorFrame = InfoFrame(FirehoseFrameWriter.OutdatedCursor, "Requested cursor exceeded limit. Possibly missing events");

    private readonly Sequencer _sequencer;
    private readonly FirehoseOptions _options;
    private readonly HashSet<WebSocketConnection> _active = [];
    private readonly Timer _watchdog;
    private readonly SubscriberLimiter _limiter;
    private int _subscribers;
    private long _tooSlow;

    /// <summary>
    /// Creates the handler over <paramref name="sequencer"/> (its store and options). <paramref name="limiter"/> caps
    /// subscribers (share it with other stream endpoints); by default one from the options' caps.
    /// </summary>
    public FirehoseXrpc(Sequencer sequencer, SubscriberLimiter? limiter = null)
    {
        ArgumentNullException.ThrowIfNull(sequencer);
        _sequencer = sequencer;
        _options = sequencer.Options;
        _limiter = limiter ?? new SubscriberLimiter(_options.MaxSubscribers, _options.MaxSubscribersPerIp, _options.ExemptLoopbackFromPerIpCap);
        TimeSpan period = TimeSpan.FromMilliseconds(Math.Clamp(_options.SendStallTimeout.TotalMilliseconds / 4, 10, 1000));
        _watchdog = new Timer(static s => ((FirehoseXrpc)s!).CheckStalledSends(), this, period, period);
    }

    /// <summary>Stops the stall watchdog (after the server has stopped).</summary>
    public void Dispose() => _watchdog.Dispose();

    /// <summary>The subscriber caps this handler applies.</summary>
    public SubscriberLimiter Limiter => _limiter;

    /// <summary>Current subscribers.</summary>
    public int SubscriberCount => Volatile.Read(ref _subscribers);

    /// <summary>Subscribers closed with <c>ConsumerTooSlow</c> so far.</summary>
    public long TooSlowCount => Interlocked.Read(ref _tooSlow);

    /// <summary>Maps <see cref="Nsid"/> on <paramref name="router"/>.</summary>
    public void Register(XrpcRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);
        router.MapSubscription(Nsid, SubscribeAsync);
    }

    /// <summary>The request handler.</summary>
    public async ValueTask SubscribeAsync(HttpContext context)
    {
        long? cursor = ParseCursor(context.Request.Query);
        System.Net.IPAddress address = context.Request.RemoteAddress;
        _limiter.Acquire(address);
        Interlocked.Increment(ref _subscribers);
        try
        {
            WebSocketConnection ws = await context.AcceptWebSocketAsync().ConfigureAwait(false);
            lock (_active)
                _active.Add(ws);
            try
            {
                await RunAsync(ws, cursor).ConfigureAwait(false);
            }
            finally
            {
                lock (_active)
                    _active.Remove(ws);
                await ws.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _subscribers);
            _limiter.Release(address);
        }
    }

    private static long? ParseCursor(QueryString query)
    {
        if (!query.TryGetRaw("cursor"u8, out ReadOnlySpan<byte> raw))
            return null;
        if (raw.Length is 0 or > 18)
            throw XrpcException.InvalidRequest("cursor must be a non-negative integer");
        long value = 0;
        foreach (byte b in raw)
        {
            if ((uint)(b - '0') > 9)
                throw XrpcException.InvalidRequest("cursor must be a non-negative integer");
            value = value * 10 + (b - '0');
        }
        return value;
    }

    private async Task RunAsync(WebSocketConnection ws, long? cursor)
    {
        FrameRing ring = _sequencer.Ring;
        AlteranStore store = _sequencer.Store;
        long next;
        bool live;
        if (cursor is not { } c)
        {
            next = ring.Head + 1;
            live = true;
        }
        else
        {
            if (c > Math.Max(store.LastSeq, ring.Head))
            {
                if (await SendAsync(ws, FutureCursorFrame).ConfigureAwait(false))
                    await ws.CloseAsync(WebSocketCloseStatus.PolicyViolation, FirehoseFrameWriter.FutureCursor).ConfigureAwait(false);
                return;
            }
            long first = store.FirstSeq;
            if (first > 0 && c < first - 1)
            {
                if (!await SendAsync(ws, OutdatedCursorFrame).ConfigureAwait(false))
                    return;
                next = first;
            }
            else
            {
                next = c + 1;
            }
            live = false;
        }

        // A closing subscriber wakes the ring once (coalesced), so idle subscribers need no periodic wake-up.
        using CancellationTokenRegistration wake = ws.Closed.UnsafeRegister(static r => ((FrameRing)r!).SignalSoon(), ring);
        ReplayBuffer? replay = null; // only while replaying: a caught-up subscriber holds its ring position only
        try
        {
            while (!ws.Closed.IsCancellationRequested)
            {
                switch (ring.TryRead(next, out byte[]? frame))
                {
                    case RingReadStatus.Ok:
                        if (live && ring.Head - next > _options.MaxLagEvents)
                        {
                            await TooSlowAsync(ws).ConfigureAwait(false);
                            return;
                        }
                        if (replay is not null)
                        {
                            replay.Dispose();
                            replay = null;
                        }
                        // Write this frame and every further one already published, then flush once.
                        if (WriteAvailable(ws, ring, frame!, ref next))
                        {
                            if (!await ws.TryFlushAsync().ConfigureAwait(false))
                                return;
                        }
                        else
                        {
                            if (!await SendAsync(ws, frame!).ConfigureAwait(false))
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
                    default: // lapped: catch up from the event log
                        if (live && ring.Head - next > _options.MaxLagEvents)
                        {
                            await TooSlowAsync(ws).ConfigureAwait(false);
                            return;
                        }
                        replay ??= new ReplayBuffer(_options.ReplayBatchSize);
                        next = await ReplayBatchAsync(ws, store, next, replay).ConfigureAwait(false);
                        if (next < 0)
                            return;
                        break;
                }
            }
        }
        finally
        {
            replay?.Dispose();
        }
    }

    private const int MaxBurstBytes = 256 * 1024;

    // Buffers `first` (the frame at `next`) and the frames after it that are already in the ring, up to a byte
    // budget, advancing `next` past them; false if nothing could be buffered (another send holds the socket).
    private static bool WriteAvailable(WebSocketConnection ws, FrameRing ring, byte[] first, ref long next)
    {
        if (!ws.TryBeginWrites())
            return false;
        try
        {
            ws.WriteBuffered(WebSocketOpcode.Binary, first);
            next++;
            int bytes = first.Length;
            while (bytes < MaxBurstBytes)
            {
                RingReadStatus status = ring.TryRead(next, out byte[]? frame);
                if (status == RingReadStatus.Hole)
                {
                    next++;
                    continue;
                }
                if (status != RingReadStatus.Ok)
                    break;
                ws.WriteBuffered(WebSocketOpcode.Binary, frame!);
                next++;
                bytes += frame!.Length;
            }
        }
        finally
        {
            ws.EndWrites();
        }
        return true;
    }

    // Sends one batch of events from the log starting at `next`; returns the next seq wanted (-1 when the socket failed).
    private async Task<long> ReplayBatchAsync(WebSocketConnection ws, AlteranStore store, long next, ReplayBuffer replay)
    {
        replay.Clear();
        using (EventCursor events = store.ReadEvents(next - 1))
        {
            while (replay.Count < replay.Capacity && replay.Bytes < MaxReplayBatchBytes && events.MoveNext())
                replay.Add(events.Seq, events.Frame);
        }
        if (replay.Count == 0)
        {
            // Nothing durable beyond `next` in the log yet: wait for the ring (it cannot be lapped past the log).
            Task signal = _sequencer.Ring.NextSignal;
            if (_sequencer.Ring.Head < next && !ws.Closed.IsCancellationRequested)
                await signal.ConfigureAwait(false);
            return next;
        }
        for (int i = 0; i < replay.Count; i++)
        {
            if (!await SendAsync(ws, replay.Frame(i)).ConfigureAwait(false))
                return -1;
            next = replay.Seq(i) + 1;
        }
        return next;
    }

    // Sends one frame; false when the subscriber is gone (or was dropped by the stall watchdog, which aborts the send).
    private static async ValueTask<bool> SendAsync(WebSocketConnection ws, ReadOnlyMemory<byte> frame)
    {
        try
        {
            await ws.SendBinaryAsync(frame).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    // Runs periodically: a subscriber whose send has waited longer than SendStallTimeout is closed. A scan of the
    // subscribers instead of a timer per send keeps sends allocation-free.
    private void CheckStalledSends()
    {
        long limit = (long)_options.SendStallTimeout.TotalMilliseconds;
        lock (_active)
        {
            foreach (WebSocketConnection ws in _active)
            {
                if (ws.IsOpen && ws.PendingSends > 0 && ws.CurrentSendMilliseconds > limit)
                {
                    // The error frame cannot get past the stalled send: close (which aborts when the socket stays stuck).
                    Interlocked.Increment(ref _tooSlow);
                    _ = ws.CloseAsync(WebSocketCloseStatus.PolicyViolation, FirehoseFrameWriter.ConsumerTooSlow).AsTask();
                }
            }
        }
    }

    private async Task TooSlowAsync(WebSocketConnection ws)
    {
        Interlocked.Increment(ref _tooSlow);
        if (await SendAsync(ws, ConsumerTooSlowFrame).ConfigureAwait(false))
            await ws.CloseAsync(WebSocketCloseStatus.PolicyViolation, FirehoseFrameWriter.ConsumerTooSlow).ConfigureAwait(false);
    }

    private static byte[] ErrorFrame(string error, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        FirehoseFrameWriter.WriteError(buffer, error, message);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] InfoFrame(string name, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        FirehoseFrameWriter.WriteInfo(buffer, name, message);
        return buffer.WrittenSpan.ToArray();
    }
}
