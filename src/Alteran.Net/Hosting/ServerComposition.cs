using System.Security.Cryptography.X509Certificates;
using Alteran.Net.Http;
using Alteran.Net.Pds;
using Alteran.Net.Xrpc;
using Microsoft.Extensions.Logging;

namespace Alteran.Net.Hosting;

/// <summary>
/// Builds the server from options: limits, CORS, TLS, rate limits and the route table (every PDS route, in
/// <see cref="RegisterRoutes"/>); tests call <see cref="CreateServer"/> with their own router.
/// </summary>
public static class ServerComposition
{
    /// <summary>HTTP limits derived from options.</summary>
    public static HttpServerOptions CreateServerOptions(AlteranOptions options)
    {
        var server = new HttpServerOptions
        {
            EndPoint = options.Listen,
            Limits = new HttpLimits
            {
                DefaultMaxBodyBytes = options.MaxJsonBytes,
                MaxConnections = options.MaxConnections,
                MaxConnectionsPerIp = options.MaxConnectionsPerIp,
                HeaderTimeout = TimeSpan.FromSeconds(options.HeaderTimeoutSeconds),
                KeepAliveTimeout = TimeSpan.FromSeconds(options.KeepAliveTimeoutSeconds),
            },
            WebSockets = new Alteran.Net.WebSockets.WebSocketOptions { MaxPerIp = options.WebSocketMaxPerIp },
        };

        if (options.TlsCertificatePath is not null && options.TlsKeyPath is not null)
        {
            server.Certificate = X509Certificate2.CreateFromPemFile(options.TlsCertificatePath, options.TlsKeyPath);
        }

        return server;
    }

    /// <summary>
    /// Registers every route of the single-account PDS over <paramref name="pds"/> (and its storage readiness check
    /// when <paramref name="readinessChecks"/> is a mutable list).
    /// </summary>
    public static XrpcRouter RegisterRoutes(AlteranOptions options, List<IReadinessCheck> readinessChecks, PdsRuntime pds)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pds);
        readinessChecks.Add(pds.ReadinessCheck);
        var router = new XrpcRouter();
        BuiltInRoutes.Register(router, readinessChecks);
        new ServerRoutes(pds).Register(router);
        new IdentityRoutes(pds).Register(router);
        new PreferencesRoutes(pds).Register(router);
        var repoOptions = new Alteran.Net.Pds.Repo.RepoXrpcOptions
        {
            MaxBlobBytes = options.MaxBlobBytes,
            MaxWriteBodyBytes = options.MaxApplyWritesBytes,
        };
        // Single account: every account id maps to the one signing key, which the runtime owns and disposes.
        new Alteran.Net.Pds.Repo.RepoXrpcHandlers(pds.Repo, pds.Store, pds.Authenticator, _ => pds.SigningKey, repoOptions).Register(router);
        pds.Firehose.Register(router);
        new DebugRoutes(pds).Register(router); // identity branch: maps /debug/* only when PDS_DEBUG_ROUTES=true
        pds.Jetstream.Register(router);
        return router;
    }

    /// <summary>Rate limits derived from options (<c>PDS_RATE_LIMIT_PER_MIN</c> is the global per-client budget).</summary>
    public static RateLimitOptions CreateRateLimitOptions(AlteranOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new RateLimitOptions { GlobalPerMinute = options.RateLimitPerMinute, Enabled = options.RateLimitsEnabled };
    }

    /// <summary>
    /// Creates (but does not start) the server. Rate limits come from <paramref name="rateLimits"/>, by default
    /// <see cref="CreateRateLimitOptions"/> (enabled); <paramref name="time"/> is the limiter's clock.
    /// </summary>
    public static HttpServer CreateServer(AlteranOptions options, XrpcRouter router, ILoggerFactory loggerFactory,
        RateLimitOptions? rateLimits = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ILogger logger = loggerFactory.CreateLogger("Alteran.Net");
        var cors = new CorsPolicy(options.CorsOrigins);
        rateLimits ??= CreateRateLimitOptions(options);
        RateLimiter? limiter = rateLimits.Enabled ? new RateLimiter(rateLimits, time) : null;
        var application = new XrpcApplication(router, cors, logger, limiter);
        return new HttpServer(CreateServerOptions(options), application, logger);
    }
}
