namespace Alteran.Net.WebSockets;

/// <summary>A parsed frame header (RFC 6455 section 5.2).</summary>
public readonly record struct WebSocketFrameHeader(bool Fin, WebSocketOpcode Opcode, bool Masked, uint MaskKey, long PayloadLength, int HeaderLength)
{
    /// <summary>True for close, ping and pong.</summary>
    public bool IsControl => ((byte)Opcode & 0x8) != 0;
}
