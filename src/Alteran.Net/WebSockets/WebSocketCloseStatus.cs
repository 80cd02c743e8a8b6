namespace Alteran.Net.WebSockets;

/// <summary>Close codes this server sends or checks (RFC 6455 section 7.4.1).</summary>
public enum WebSocketCloseStatus : ushort
{
    /// <summary>1000: normal closure.</summary>
    NormalClosure = 1000,
    /// <summary>1001: server going away (shutdown).</summary>
    EndpointUnavailable = 1001,
    /// <summary>1002: protocol error.</summary>
    ProtocolError = 1002,
    /// <summary>1003: data type not accepted.</summary>
    InvalidMessageType = 1003,
    /// <summary>1005: no status received (never sent on the wire).</summary>
    Empty = 1005,
    /// <summary>1006: closed without a close frame (never sent on the wire).</summary>
    Abnormal = 1006,
    /// <summary>1007: text not valid UTF-8.</summary>
    InvalidPayloadData = 1007,
    /// <summary>1008: policy violation (e.g. a consumer too slow).</summary>
    PolicyViolation = 1008,
    /// <summary>1009: message too big.</summary>
    MessageTooBig = 1009,
    /// <summary>1011: unexpected server error.</summary>
    InternalServerError = 1011,
}

/// <summary>Validation of close codes received from a peer.</summary>
public static class WebSocketCloseCodes
{
    /// <summary>True when <paramref name="code"/> may appear in a close frame (RFC 6455 7.4 and the IANA registry).</summary>
    public static bool IsValidOnWire(int code) => code switch
    {
        >= 1000 and <= 1003 => true,
        >= 1007 and <= 1014 => true,
        >= 3000 and <= 4999 => true,
        _ => false,
    };
}
