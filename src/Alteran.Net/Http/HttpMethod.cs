namespace Alteran.Net.Http;

/// <summary>Request methods the server tells apart; anything else is <see cref="Other"/>.</summary>
public enum HttpMethod : byte
{
    /// <summary>Unknown or unsupported method token.</summary>
    Other = 0,
    /// <summary>GET.</summary>
    Get,
    /// <summary>POST.</summary>
    Post,
    /// <summary>HEAD.</summary>
    Head,
    /// <summary>OPTIONS.</summary>
    Options,
    /// <summary>PUT.</summary>
    Put,
    /// <summary>DELETE.</summary>
    Delete,
    /// <summary>PATCH.</summary>
    Patch,
}
