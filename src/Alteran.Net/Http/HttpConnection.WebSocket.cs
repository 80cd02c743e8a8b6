using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Alteran.Net.WebSockets;

namespace Alteran.Net.Http;

internal sealed partial class HttpConnection
{
    private bool _upgradedSlot;

    private static ReadOnlySpan<byte> WebSocketGuid => "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"u8;

    /// <summary>Validates the upgrade request, sends 101 and hands the connection over to a <see cref="WebSocketConnection"/>.</summary>
    internal async ValueTask<WebSocketConnection> AcceptWebSocketAsync(Action<WebSocketConnection>? configure, CancellationToken cancellationToken)
    {
        if (_webSocket is not null || _response.HasStarted)
        {
            throw new InvalidOperationException("The response has already started.");
        }

        if (_request.Method != HttpMethod.Get || !_request.IsWebSocketUpgrade || !_request.IsHttp11)
        {
            throw new WebSocketHandshakeException(400, "Expected a WebSocket upgrade request");
        }

        if (_request.HasBody)
        {
            throw new WebSocketHandshakeException(400, "A WebSocket upgrade request has no body");
        }

        if (!_request.TryGetHeader("sec-websocket-version"u8, out ReadOnlySpan<byte> version) || !version.SequenceEqual("13"u8))
        {
            _response.AddHeader("Sec-WebSocket-Version"u8, "13"u8);
            throw new WebSocketHandshakeException(426, "Unsupported WebSocket version");
        }

        Span<byte> accept = stackalloc byte[28];
        if (!_request.TryGetHeader("sec-websocket-key"u8, out ReadOnlySpan<byte> key) || !TryComputeAccept(key, accept))
        {
            throw new WebSocketHandshakeException(400, "Missing or malformed Sec-WebSocket-Key");
        }

        if (!Server.Connections.TryReserveUpgraded(RemoteAddress, Server.Options.WebSockets.MaxPerIp))
        {
            throw new WebSocketHandshakeException(429, "Too many WebSocket connections from this address");
        }

        _upgradedSlot = true;
        Span<byte> header = stackalloc byte[24 + 28 + 2];
        "Sec-WebSocket-Accept: "u8.CopyTo(header);
        accept.CopyTo(header[22..]);
        "\r\n"u8.CopyTo(header[50..]);
        _response.WriteSwitchingProtocols(header[..52]);
        KeepAlive = false;
        await FlushOutputAsync(cancellationToken).ConfigureAwait(false);
        var webSocket = new WebSocketConnection(this, _input, _output, Server.Options.WebSockets);
        _webSocket = webSocket;
        _phase = (int)Phase.WebSocket;
        configure?.Invoke(webSocket);
        webSocket.Start();
        return webSocket;
    }

    /// <summary>
    /// Computes <c>base64(SHA-1(key + GUID))</c> into 28 bytes; false unless the key is base64 of exactly 16 bytes
    /// (RFC 6455 section 4.2.1).
    /// </summary>
    internal static bool TryComputeAccept(ReadOnlySpan<byte> key, Span<byte> accept)
    {
        Span<byte> decoded = stackalloc byte[18];
        if (key.Length != 24 || Base64.DecodeFromUtf8(key, decoded, out _, out int written) != System.Buffers.OperationStatus.Done || written != 16)
        {
            return false;
        }

        Span<byte> input = stackalloc byte[24 + 36];
        key.CopyTo(input);
        WebSocketGuid.CopyTo(input[24..]);
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
        return Base64.EncodeToUtf8(hash, accept, out _, out int encoded) == System.Buffers.OperationStatus.Done && encoded == 28;
    }
}
