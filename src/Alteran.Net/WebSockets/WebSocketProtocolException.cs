using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Alteran.Net.WebSockets;

/// <summary>The peer broke RFC 6455; the connection is closed with <see cref="CloseStatus"/>.</summary>
public sealed class WebSocketProtocolException(WebSocketCloseStatus closeStatus, string message) : Exception(message)
{
    /// <summary>Close code to send.</summary>
    public WebSocketCloseStatus CloseStatus { get; } = closeStatus;

    /// <summary>Throws a protocol error.</summary>
    [DoesNotReturn]
    [StackTraceHidden]
    public static void Throw(WebSocketCloseStatus status, string message) => throw new WebSocketProtocolException(status, message);
}

/// <summary>The upgrade request was not a valid WebSocket handshake; answered with <see cref="StatusCode"/>.</summary>
public sealed class WebSocketHandshakeException(int statusCode, string message) : Exception(message)
{
    /// <summary>400, or 426 for an unsupported version.</summary>
    public int StatusCode { get; } = statusCode;
}
