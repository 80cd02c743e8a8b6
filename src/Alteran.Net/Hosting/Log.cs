using Microsoft.Extensions.Logging;

namespace Alteran.Net.Hosting;

/// <summary>
/// Every log line the server writes, source-generated (no boxing, no format parsing at run time). Event ids are
/// stable: 1xx transport, 2xx HTTP, 3xx WebSocket, 4xx XRPC, 5xx hosting. Lines about a request carry its
/// request id (the <c>X-Request-Id</c> response header) as 16 hex digits.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Information, "Listening on {EndPoint} (tls: {Tls})")]
    public static partial void Listening(ILogger logger, string endPoint, bool tls);

    [LoggerMessage(101, LogLevel.Warning, "Connection from {RemoteAddress} refused: connection cap reached")]
    public static partial void ConnectionRejected(ILogger logger, string remoteAddress);

    [LoggerMessage(102, LogLevel.Warning, "Accept failed: {SocketError}")]
    public static partial void AcceptFailed(ILogger logger, string socketError);

    [LoggerMessage(103, LogLevel.Debug, "Connection {ConnectionId} ended: {Error}")]
    public static partial void ConnectionError(ILogger logger, long connectionId, string error);

    [LoggerMessage(104, LogLevel.Error, "Connection {ConnectionId} failed")]
    public static partial void ConnectionCrashed(ILogger logger, Exception exception, long connectionId);

    [LoggerMessage(105, LogLevel.Information, "Stopping: draining {Connections} connections")]
    public static partial void Stopping(ILogger logger, int connections);

    [LoggerMessage(106, LogLevel.Information, "Connection {ConnectionId} aborted: send stalled past the send timeout")]
    public static partial void SendTimeout(ILogger logger, long connectionId);

    [LoggerMessage(107, LogLevel.Error, "Heartbeat check failed")]
    public static partial void HeartbeatFailed(ILogger logger, Exception exception);

    [LoggerMessage(200, LogLevel.Information, "Request {RequestId:x16} rejected with {StatusCode}: {Reason}")]
    public static partial void BadRequest(ILogger logger, ulong requestId, int statusCode, string reason);

    [LoggerMessage(201, LogLevel.Debug, "Request {RequestId:x16} {Method} {Path} -> {StatusCode} in {ElapsedMs} ms")]
    public static partial void RequestCompleted(ILogger logger, ulong requestId, string method, string path, int statusCode, long elapsedMs);

    [LoggerMessage(202, LogLevel.Error, "Request {RequestId:x16} failed")]
    public static partial void UnhandledException(ILogger logger, Exception exception, ulong requestId);

    [LoggerMessage(300, LogLevel.Information, "WebSocket on connection {ConnectionId} closed for protocol error {CloseCode}: {Message}")]
    public static partial void WebSocketProtocolError(ILogger logger, long connectionId, int closeCode, string message);

    [LoggerMessage(301, LogLevel.Information, "WebSocket on connection {ConnectionId} aborted: no pong in time")]
    public static partial void WebSocketPongTimeout(ILogger logger, long connectionId);

    [LoggerMessage(400, LogLevel.Information, "Request {RequestId:x16} {Nsid}: {Status} {Error}")]
    public static partial void XrpcError(ILogger logger, ulong requestId, string nsid, int status, string error);

    [LoggerMessage(500, LogLevel.Information, "Alteran starting: environment {Environment}, data {DataDirectory}")]
    public static partial void Starting(ILogger logger, string environment, string dataDirectory);

    [LoggerMessage(501, LogLevel.Warning, "Configuration: {Warning}")]
    public static partial void ConfigurationWarning(ILogger logger, string warning);
}
