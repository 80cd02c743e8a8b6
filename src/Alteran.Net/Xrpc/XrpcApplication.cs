using System.Text.Json;
using Alteran.Net.Hosting;
using Alteran.Net.Http;
using Alteran.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace Alteran.Net.Xrpc;

/// <summary>
/// The XRPC edge: CORS, routing by NSID bytes (<c>/xrpc/&lt;nsid&gt;</c>) or plain path, per-route body limits,
/// and mapping of errors to <c>{"error","message"}</c> bodies. Unknown XRPC methods get 404
/// <c>MethodNotImplemented</c>, a wrong HTTP method 405 with <c>Allow</c>; 500s carry no detail.
/// </summary>
public sealed class XrpcApplication : IHttpApplication
{
    private readonly XrpcRouter _router;
    private readonly CorsPolicy _cors;
    private readonly ILogger _logger;
    private readonly RateLimiter? _rateLimiter;

    // Limited routes and their extra bucket (null: global only), resolved once so a request costs one lookup.
    private readonly Dictionary<XrpcRoute, RateLimitBucket?> _limitedRoutes = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates the application; freezes <paramref name="router"/>. A null <paramref name="rateLimiter"/> disables rate limits.</summary>
    public XrpcApplication(XrpcRouter router, CorsPolicy cors, ILogger logger, RateLimiter? rateLimiter = null)
    {
        _router = router;
        _cors = cors;
        _logger = logger;
        _rateLimiter = rateLimiter;
        router.Freeze();
        if (rateLimiter is not null)
        {
            foreach (XrpcRoute route in router.Routes)
            {
                if (RateLimiter.AppliesTo(route))
                {
                    _limitedRoutes[route] = rateLimiter.RouteBucket(route.Name);
                }
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask ProcessRequestAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        HttpResponse response = context.Response;
        bool hasOrigin = request.TryGetHeader("origin"u8, out ReadOnlySpan<byte> origin);
        ReadOnlySpan<byte> path = request.Path;
        bool isXrpc = path.StartsWith("/xrpc/"u8);
        XrpcRoute? route = isXrpc ? _router.FindMethod(path[6..]) : _router.FindPath(path);

        if (request.Method == HttpMethod.Options)
        {
            if (hasOrigin && request.TryGetHeader("access-control-request-method"u8, out _))
            {
                _cors.WritePreflight(context, origin);
            }
            else
            {
                response.StatusCode = 204;
                response.AddHeader("Allow"u8, route is null ? "GET, HEAD, POST, OPTIONS"u8 : route.AllowHeader);
                response.WriteEmpty();
            }

            return;
        }

        if (hasOrigin)
        {
            _cors.ApplyToResponse(context, origin);
        }

        if (route is null)
        {
            if (isXrpc)
            {
                response.WriteXrpcError(404, "MethodNotImplemented", "Method Not Implemented");
            }
            else
            {
                response.WriteXrpcError(404, "NotFound", "Not Found");
            }

            return;
        }

        if (!route.Allows(request.Method))
        {
            response.AddHeader("Allow"u8, route.AllowHeader);
            response.WriteXrpcError(405, "InvalidRequest", "Incorrect HTTP method");
            return;
        }

        if (_rateLimiter is not null && _limitedRoutes.TryGetValue(route, out RateLimitBucket? bucket))
        {
            RateLimitDecision decision = _rateLimiter.Acquire(request.RemoteAddress, bucket);
            _rateLimiter.WriteHeaders(response, decision);
            if (!decision.Allowed)
            {
                response.WriteXrpcError(429, "RateLimitExceeded", "Rate Limit Exceeded");
                return;
            }
        }

        context.RouteData = route;
        if (route.MaxBodyBytes is { } max)
        {
            context.MaxRequestBodySize = max;
        }

        if (request.ContentLength > context.MaxRequestBodySize)
        {
            response.WriteXrpcError(413, "PayloadTooLarge", "Request body too large");
            return;
        }

        try
        {
            await route.Handler(context).ConfigureAwait(false);
        }
        catch (XrpcException ex)
        {
            Log.XrpcError(_logger, context.RequestId, route.Name, ex.StatusCode, ex.Error);
            WriteErrorIfPossible(response, ex.StatusCode, ex.Error, ex.ErrorMessage);
        }
        catch (WebSocketHandshakeException ex)
        {
            string error = ex.StatusCode == 429 ? "RateLimitExceeded" : "InvalidRequest";
            Log.XrpcError(_logger, context.RequestId, route.Name, ex.StatusCode, error);
            WriteErrorIfPossible(response, ex.StatusCode, error, ex.Message);
        }
        catch (Exception ex) when (ex is QueryStringException or JsonException)
        {
            Log.XrpcError(_logger, context.RequestId, route.Name, 400, "InvalidRequest");
            WriteErrorIfPossible(response, 400, "InvalidRequest", ex is JsonException ? "Invalid JSON body" : ex.Message);
        }
    }

    private static void WriteErrorIfPossible(HttpResponse response, int status, string error, string? message)
    {
        if (!response.HasStarted)
        {
            response.WriteXrpcError(status, error, message);
        }
    }
}
