namespace Alteran.Net.Http;

/// <summary>
/// Every limit the HTTP/1.1 layer enforces. Defaults follow RELIABILITY.md 2.5; each is configurable so tests can
/// use short timeouts. A broken limit always answers with a specific status and closes the connection.
/// </summary>
public sealed class HttpLimits
{
    /// <summary>Longest request line including CRLF (414 when exceeded).</summary>
    public int MaxRequestLineBytes { get; set; } = 8 * 1024;

    /// <summary>Longest header block, all field lines and the final CRLF (431 when exceeded).</summary>
    public int MaxHeaderBytes { get; set; } = 16 * 1024;

    /// <summary>Most header fields in one request (431 when exceeded).</summary>
    public int MaxHeaderCount { get; set; } = 64;

    /// <summary>Longest chunk-size line including extensions (400 when exceeded).</summary>
    public int MaxChunkLineBytes { get; set; } = 1024;

    /// <summary>Body size for routes that do not set their own (413 when exceeded).</summary>
    public long DefaultMaxBodyBytes { get; set; } = 150 * 1024;

    /// <summary>Time from the first byte of a request to the end of its header block (408 when exceeded).</summary>
    public TimeSpan HeaderTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time an idle keep-alive connection may wait for its next request before it is closed.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Minimum request body rate in bytes per second once <see cref="MinBodyRateGrace"/> has passed.</summary>
    public double MinBodyBytesPerSecond { get; set; } = 240;

    /// <summary>Grace period before <see cref="MinBodyBytesPerSecond"/> applies.</summary>
    public TimeSpan MinBodyRateGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A response flush (socket send) that takes longer than this aborts the connection.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Unread request body that is drained (rather than closing the connection) after a handler returns.</summary>
    public long MaxDrainBytes { get; set; } = 64 * 1024;

    /// <summary>Global connection cap; new connections beyond it get 503 and are closed.</summary>
    public int MaxConnections { get; set; } = 20_000;

    /// <summary>Connections one remote address may hold at once.</summary>
    public int MaxConnectionsPerIp { get; set; } = 64;

    /// <summary>
    /// Loopback clients skip the per-IP caps (default): behind a local reverse proxy (Caddy) every connection comes
    /// from 127.0.0.1, and the proxy applies its own per-client limits. The global cap still applies.
    /// </summary>
    public bool ExemptLoopbackFromPerIpCap { get; set; } = true;

    /// <summary>How often the heartbeat checks every connection's deadlines.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);
}
