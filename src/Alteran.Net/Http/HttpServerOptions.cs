using System.Net;
using System.Security.Cryptography.X509Certificates;
using Alteran.Net.WebSockets;

namespace Alteran.Net.Http;

/// <summary>Where and how the server listens.</summary>
public sealed class HttpServerOptions
{
    /// <summary>Listen address; port 0 picks a free port (tests).</summary>
    public IPEndPoint EndPoint { get; set; } = new(IPAddress.Loopback, 2583);

    /// <summary>HTTP limits and timeouts.</summary>
    public HttpLimits Limits { get; set; } = new();

    /// <summary>WebSocket limits and timers.</summary>
    public WebSocketOptions WebSockets { get; set; } = new();

    /// <summary>When set, the listener speaks TLS with this certificate (which must include its private key).</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>Listen backlog.</summary>
    public int Backlog { get; set; } = 512;
}
