namespace Alteran.Net.Xrpc;

/// <summary>Lexicon method types, each with its HTTP method.</summary>
public enum XrpcMethodKind : byte
{
    /// <summary>GET (and HEAD), parameters in the query string.</summary>
    Query,
    /// <summary>POST with an optional body.</summary>
    Procedure,
    /// <summary>GET with a WebSocket upgrade.</summary>
    Subscription,
}
