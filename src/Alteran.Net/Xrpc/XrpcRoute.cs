using System.Text;
using Alteran.Net.Http;

namespace Alteran.Net.Xrpc;

/// <summary>Handles one request. The context (and spans from it) is only valid until the returned task completes.</summary>
public delegate ValueTask RequestHandler(HttpContext context);

/// <summary>One registered route: an XRPC method (<c>/xrpc/&lt;nsid&gt;</c>) or a plain path.</summary>
public sealed class XrpcRoute
{
    internal XrpcRoute(string name, XrpcMethodKind kind, RequestHandler handler, long? maxBodyBytes, bool isPath)
    {
        Name = name;
        NameUtf8 = Encoding.UTF8.GetBytes(name);
        Kind = kind;
        Handler = handler;
        MaxBodyBytes = maxBodyBytes;
        IsPath = isPath;
    }

    /// <summary>The NSID (for XRPC routes) or the path (for plain routes).</summary>
    public string Name { get; }

    /// <summary><see cref="Name"/> as UTF-8, the routing key.</summary>
    public byte[] NameUtf8 { get; }

    /// <summary>Query, procedure or subscription (plain paths: query = GET/HEAD, procedure = POST).</summary>
    public XrpcMethodKind Kind { get; }

    /// <summary>The handler.</summary>
    public RequestHandler Handler { get; }

    /// <summary>Body limit for this route; null uses the server default (PDS_MAX_JSON_BYTES).</summary>
    public long? MaxBodyBytes { get; }

    /// <summary>True for plain paths (not under /xrpc/).</summary>
    public bool IsPath { get; }

    /// <summary>True when <paramref name="method"/> may call this route.</summary>
    public bool Allows(HttpMethod method) => Kind switch
    {
        XrpcMethodKind.Procedure => method == HttpMethod.Post,
        XrpcMethodKind.Subscription => method == HttpMethod.Get,
        _ => method is HttpMethod.Get or HttpMethod.Head,
    };

    /// <summary>Value of the Allow header for this route.</summary>
    public ReadOnlySpan<byte> AllowHeader => Kind switch
    {
        XrpcMethodKind.Procedure => "POST, OPTIONS"u8,
        XrpcMethodKind.Subscription => "GET, OPTIONS"u8,
        _ => "GET, HEAD, OPTIONS"u8,
    };
}
