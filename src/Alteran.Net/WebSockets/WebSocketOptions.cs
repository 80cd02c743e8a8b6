namespace Alteran.Net.WebSockets;

/// <summary>Limits and timers for server-side WebSocket connections (RELIABILITY.md 2.5).</summary>
public sealed class WebSocketOptions
{
    /// <summary>
    /// Largest inbound data message (all fragments together). Subscriptions only need control frames from
    /// clients, so the default is the control-frame size; larger messages close the connection with 1009.
    /// </summary>
    public int MaxInboundMessageBytes { get; set; } = 125;

    /// <summary>Largest outbound message; the atproto event-stream spec caps frames at 5 MB (larger commits become #sync).</summary>
    public int MaxOutboundMessageBytes { get; set; } = 5_000_000;

    /// <summary>WebSocket connections one remote address may hold at once (429 beyond it).</summary>
    public int MaxPerIp { get; set; } = 16;

    /// <summary>Send a ping after this long without outbound traffic.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Abort the connection when a ping is not answered within this time.</summary>
    public TimeSpan PongTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait for the client's close frame after sending ours.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
