using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Alteran.Net.WebSockets;

namespace Alteran.Net.Http;

/// <summary>
/// One request and its response, handed to handlers. Reused for every request on a connection: do not keep it (or
/// spans from it) after the handler returns.
/// </summary>
public sealed class HttpContext
{
    private readonly HttpConnection _connection;
    private RequestBodyStream? _bodyStream;

    internal HttpContext(HttpConnection connection, HttpRequest request, HttpResponse response)
    {
        _connection = connection;
        Request = request;
        Response = response;
    }

    /// <summary>The request.</summary>
    public HttpRequest Request { get; }

    /// <summary>The response.</summary>
    public HttpResponse Response { get; }

    /// <summary>Id of this request, sent as <c>X-Request-Id</c> and used in every log line about it.</summary>
    public ulong RequestId { get; internal set; }

    /// <summary><see cref="RequestId"/> as 16 hex digits (allocates; for logs).</summary>
    public string RequestIdText => RequestId.ToString("x16");

    /// <summary>Largest body accepted for this request; set by the router from the route, before the body is read.</summary>
    public long MaxRequestBodySize { get; set; }

    /// <summary>Route-specific state the application attaches (e.g. the matched XRPC route).</summary>
    public object? RouteData { get; set; }

    /// <summary>Cancelled when the connection is aborted (client gone, timeout, shutdown).</summary>
    public CancellationToken ConnectionAborted => _connection.AbortedToken;

    /// <summary>True when the server is shutting down (long handlers should finish soon).</summary>
    public bool IsShuttingDown => _connection.Server.IsShuttingDown;

    /// <summary>True when the request asks for a WebSocket upgrade.</summary>
    public bool IsWebSocketRequest => Request.IsWebSocketUpgrade && Request.Method == HttpMethod.Get;

    /// <summary>
    /// Reads the whole body into a pooled buffer, enforcing <see cref="MaxRequestBodySize"/>. The memory is valid until
    /// the handler returns. Empty when the request has no body.
    /// </summary>
    public ValueTask<ReadOnlyMemory<byte>> ReadBodyAsync(CancellationToken cancellationToken = default)
        => _connection.ReadWholeBodyAsync(cancellationToken);

    /// <summary>Reads the next part of the body into <paramref name="destination"/>; 0 at the end (for streamed uploads).</summary>
    public ValueTask<int> ReadBodyAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
        => _connection.ReadBodyAsync(destination, cancellationToken);

    /// <summary>The body as a read-only stream (created once per connection and reused).</summary>
    public Stream BodyStream => _bodyStream ??= new RequestBodyStream(this);

    /// <summary>Reads the whole body and deserialises it with source-generated <paramref name="typeInfo"/>.</summary>
    public async ValueTask<T?> ReadJsonAsync<T>(JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ReadOnlyMemory<byte> body = await ReadBodyAsync(cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(body.Span, typeInfo);
    }

    /// <summary>
    /// Completes the WebSocket handshake (RFC 6455 section 4.2) and returns the connection. Throws
    /// <see cref="WebSocketHandshakeException"/> (answered with 400/426) when the request is not a valid upgrade.
    /// </summary>
    public ValueTask<WebSocketConnection> AcceptWebSocketAsync(CancellationToken cancellationToken = default)
        => _connection.AcceptWebSocketAsync(null, cancellationToken);

    /// <summary>
    /// As <see cref="AcceptWebSocketAsync(CancellationToken)"/>, calling <paramref name="configure"/> before the
    /// receive loop starts (to set a message handler or inbound limit no early client message can race past).
    /// </summary>
    public ValueTask<WebSocketConnection> AcceptWebSocketAsync(Action<WebSocketConnection> configure, CancellationToken cancellationToken = default)
        => _connection.AcceptWebSocketAsync(configure, cancellationToken);
}
