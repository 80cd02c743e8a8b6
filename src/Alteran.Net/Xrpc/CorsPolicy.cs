using System.Text;
using Alteran.Net.Http;

namespace Alteran.Net.Xrpc;

/// <summary>
/// CORS for browser clients: an allow-list of origins (from <c>PDS_CORS_ORIGIN</c>) or, outside production, any
/// origin (<c>*</c>). Simple requests get <c>Access-Control-Allow-Origin</c>; preflights (OPTIONS with
/// <c>Access-Control-Request-Method</c>) get 204 with the allowed methods and the requested headers. A disallowed
/// origin gets no CORS headers, which the browser treats as a refusal.
/// </summary>
public sealed class CorsPolicy
{
    private readonly byte[][] _origins;

    /// <summary>Creates a policy; an entry <c>*</c> allows any origin.</summary>
    public CorsPolicy(IEnumerable<string> origins)
    {
        var list = new List<byte[]>();
        foreach (string origin in origins)
        {
            string trimmed = origin.Trim().TrimEnd('/');
            if (trimmed == "*")
            {
                AllowsAnyOrigin = true;
            }
            else if (trimmed.Length > 0)
            {
                list.Add(Encoding.ASCII.GetBytes(trimmed));
            }
        }

        _origins = [.. list];
    }

    /// <summary>A policy that allows any origin.</summary>
    public static CorsPolicy AllowAny { get; } = new(["*"]);

    /// <summary>A policy that allows no cross-origin request.</summary>
    public static CorsPolicy None { get; } = new([]);

    /// <summary>True when the list contains <c>*</c>.</summary>
    public bool AllowsAnyOrigin { get; }

    /// <summary>True when <paramref name="origin"/> may call the server.</summary>
    public bool IsAllowed(ReadOnlySpan<byte> origin)
    {
        if (AllowsAnyOrigin)
        {
            return true;
        }

        foreach (byte[] allowed in _origins)
        {
            if (origin.SequenceEqual(allowed))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Adds response headers for a non-preflight request that carries <c>Origin</c>.</summary>
    public void ApplyToResponse(HttpContext context, ReadOnlySpan<byte> origin)
    {
        if (!IsAllowed(origin))
        {
            return;
        }

        HttpResponse response = context.Response;
        if (AllowsAnyOrigin)
        {
            response.AddHeader("Access-Control-Allow-Origin"u8, "*"u8);
        }
        else
        {
            response.AddHeader("Access-Control-Allow-Origin"u8, origin);
            response.AddHeader("Vary"u8, "Origin"u8);
        }

        response.AddHeader("Access-Control-Expose-Headers"u8, "X-Request-Id, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy"u8);
    }

    /// <summary>Answers a preflight request with 204.</summary>
    public void WritePreflight(HttpContext context, ReadOnlySpan<byte> origin)
    {
        HttpResponse response = context.Response;
        response.StatusCode = 204;
        if (IsAllowed(origin))
        {
            response.AddHeader("Access-Control-Allow-Origin"u8, AllowsAnyOrigin ? "*"u8 : origin);
            response.AddHeader("Access-Control-Allow-Methods"u8, "GET, HEAD, POST, OPTIONS"u8);
            if (context.Request.TryGetHeader("access-control-request-headers"u8, out ReadOnlySpan<byte> requested)
                && IsHeaderList(requested))
            {
                response.AddHeader("Access-Control-Allow-Headers"u8, requested);
            }

            response.AddHeader("Access-Control-Max-Age"u8, "86400"u8);
        }

        response.AddHeader("Vary"u8, "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"u8);
        response.WriteEmpty();
    }

    private static bool IsHeaderList(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || value.Length > 1024)
        {
            return false;
        }

        foreach (Range r in value.Split((byte)','))
        {
            if (!HttpParser.IsToken(value[r].Trim(" \t"u8)))
            {
                return false;
            }
        }

        return true;
    }
}
