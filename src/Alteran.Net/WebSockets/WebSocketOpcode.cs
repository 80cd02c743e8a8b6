namespace Alteran.Net.WebSockets;

/// <summary>Frame opcodes defined by RFC 6455 section 5.2; every other value is a protocol error.</summary>
public enum WebSocketOpcode : byte
{
    /// <summary>Continuation of a fragmented message.</summary>
    Continuation = 0x0,
    /// <summary>UTF-8 text message.</summary>
    Text = 0x1,
    /// <summary>Binary message.</summary>
    Binary = 0x2,
    /// <summary>Close control frame.</summary>
    Close = 0x8,
    /// <summary>Ping control frame.</summary>
    Ping = 0x9,
    /// <summary>Pong control frame.</summary>
    Pong = 0xA,
}
