namespace Alteran.Net.Firehose;

/// <summary>Settings of the <see cref="Sequencer"/> and <c>com.atproto.sync.subscribeRepos</c>.</summary>
public sealed class FirehoseOptions
{
    /// <summary>Ring slots (power of two): how many recent events live subscribers can read from memory.</summary>
    public int RingCapacity { get; init; } = 32_768;

    /// <summary>
    /// Most bytes of frames the ring holds; older frames are then read from the event log. The ring is only a cache
    /// (the log replays at ~800 MB/s), so it is sized for a small VPS: 32 MiB is ~30k typical commits, while a
    /// 256 MiB budget filled completely during a bulk import (200-record applyWrites frames) and tripled peak RSS.
    /// </summary>
    public long RingByteBudget { get; init; } = 32L << 20;

    /// <summary>How long an out-of-order event waits for the seqs before it before the gap is filled from the log.</summary>
    public TimeSpan GapTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Most out-of-order events held while waiting; beyond it the gap is filled from the log at once.</summary>
    public int ReorderWindow { get; init; } = 4096;

    /// <summary>Period of the sequencer's gap check.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Events read from the log per replay batch (then sent before the next batch is read).</summary>
    public int ReplayBatchSize { get; init; } = 256;

    /// <summary>A live subscriber this many events behind the head gets <c>ConsumerTooSlow</c> and is closed.</summary>
    public long MaxLagEvents { get; init; } = 100_000;

    /// <summary>A send that has not completed after this long closes the subscriber (<c>ConsumerTooSlow</c>).</summary>
    public TimeSpan SendStallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Most concurrent stream subscribers, <c>subscribeRepos</c> and <c>/subscribe</c> together (503 beyond it).</summary>
    public int MaxSubscribers { get; init; } = 10_000;

    /// <summary>Most concurrent stream subscribers from one remote address (429 beyond it). The WebSocket layer's
    /// <c>WebSocketOptions.MaxPerIp</c> (all WebSockets) and the HTTP per-address connection cap also apply.</summary>
    public int MaxSubscribersPerIp { get; init; } = 16;

    /// <summary>Loopback clients skip <see cref="MaxSubscribersPerIp"/> (a local reverse proxy connects from 127.0.0.1).</summary>
    public bool ExemptLoopbackFromPerIpCap { get; init; } = true;
}
