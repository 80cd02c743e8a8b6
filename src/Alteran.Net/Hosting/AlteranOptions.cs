using System.Net;

namespace Alteran.Net.Hosting;

/// <summary>
/// Server configuration, read by hand from <see cref="Microsoft.Extensions.Configuration.IConfiguration"/> (no
/// reflection binding; see <see cref="AlteranOptionsLoader"/>). Keys are Alteran's environment variable names.
/// </summary>
public sealed class AlteranOptions
{
    /// <summary><c>PDS_ENV</c>: <c>production</c> or <c>development</c> (default). Production requires every secret.</summary>
    public bool IsProduction { get; set; }

    /// <summary><c>ALTERAN_LISTEN</c>: address:port, default 127.0.0.1:2583 (IPv6 as [::1]:2583).</summary>
    public IPEndPoint Listen { get; set; } = new(IPAddress.Loopback, 2583);

    /// <summary><c>ALTERAN_DATA</c>: data directory, default ./data.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary><c>PDS_HOSTNAME</c>: public host name of this PDS (no scheme).</summary>
    public string? Hostname { get; set; }

    /// <summary><c>PDS_DID</c>: the account DID.</summary>
    public string? Did { get; set; }

    /// <summary><c>PDS_HANDLE</c>: the account handle.</summary>
    public string? Handle { get; set; }

    /// <summary><c>USER_PASSWORD</c>: the account password.</summary>
    public string? UserPassword { get; set; }

    /// <summary><c>ACCESS_TOKEN</c>: secret for access JWTs.</summary>
    public string? AccessTokenSecret { get; set; }

    /// <summary><c>REFRESH_TOKEN</c>: secret for refresh JWTs.</summary>
    public string? RefreshTokenSecret { get; set; }

    /// <summary><c>REPO_SIGNING_KEY</c>: the repository signing key.</summary>
    public string? RepoSigningKey { get; set; }

    /// <summary><c>PDS_CORS_ORIGIN</c>: comma-separated allowed origins; <c>*</c> (development only) allows any.</summary>
    public IReadOnlyList<string> CorsOrigins { get; set; } = [];

    /// <summary><c>PDS_MAX_JSON_BYTES</c>: body limit for JSON procedures (default 150 KiB).</summary>
    public long MaxJsonBytes { get; set; } = 150 * 1024;

    /// <summary><c>PDS_MAX_APPLYWRITES_BYTES</c>: body limit for applyWrites (default 1 MiB).</summary>
    public long MaxApplyWritesBytes { get; set; } = 1024 * 1024;

    /// <summary><c>PDS_MAX_BLOB_SIZE</c>: body limit for uploadBlob (default 100 MiB).</summary>
    public long MaxBlobBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary><c>PDS_RATE_LIMIT_PER_MIN</c>: requests per minute per client (used by the rate limiter).</summary>
    public int RateLimitPerMinute { get; set; } = 3000;

    /// <summary><c>ALTERAN_TLS_CERT</c>: PEM certificate (chain) file; with <see cref="TlsKeyPath"/> enables TLS.</summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary><c>ALTERAN_TLS_KEY</c>: PEM private key file.</summary>
    public string? TlsKeyPath { get; set; }

    /// <summary><c>ALTERAN_MAX_CONNECTIONS</c>: global connection cap.</summary>
    public int MaxConnections { get; set; } = 20_000;

    /// <summary><c>ALTERAN_MAX_CONNECTIONS_PER_IP</c>: per-address connection cap.</summary>
    public int MaxConnectionsPerIp { get; set; } = 64;

    /// <summary><c>ALTERAN_HEADER_TIMEOUT_SECONDS</c>: header read timeout.</summary>
    public double HeaderTimeoutSeconds { get; set; } = 10;

    /// <summary><c>ALTERAN_KEEPALIVE_TIMEOUT_SECONDS</c>: idle keep-alive timeout.</summary>
    public double KeepAliveTimeoutSeconds { get; set; } = 60;

    /// <summary><c>ALTERAN_SHUTDOWN_TIMEOUT_SECONDS</c>: how long shutdown waits for in-flight requests.</summary>
    public double ShutdownTimeoutSeconds { get; set; } = 10;

    // ---- identity branch: handle resolution, requestCrawl, /debug ----

    /// <summary><c>PDS_DNS_RESOLVER</c>: recursive DNS server (ip, ip:port or [ipv6]:port) for handle TXT lookups;
    /// default: the first <c>nameserver</c> of /etc/resolv.conf.</summary>
    public IPEndPoint? DnsResolver { get; set; }

    /// <summary>TESTS ONLY (not read from configuration): origin (<c>http://127.0.0.1:port</c>) that handle
    /// well-known lookups go to instead of <c>https://&lt;handle&gt;</c>.</summary>
    public Uri? HandleWellKnownOriginOverride { get; set; }

    /// <summary><c>PDS_RELAY_HOSTS</c>: relays asked to crawl this PDS (comma-separated host names; an entry may be an
    /// explicit <c>http://127.0.0.1:port</c> / <c>https://host[:port]</c> origin, e.g. for tests); <c>none</c> disables.</summary>
    public IReadOnlyList<string> RelayHosts { get; set; } = ["bsky.network"];

    /// <summary>TESTS ONLY (not read from configuration): how often requestCrawl is repeated (default 12 h).</summary>
    public TimeSpan RelayCrawlInterval { get; set; } = TimeSpan.FromHours(12);

    /// <summary>TESTS ONLY (not read from configuration): send requestCrawl even though PDS_HOSTNAME is not public.</summary>
    public bool TreatHostnameAsPublic { get; set; }

    /// <summary><c>PDS_DEBUG_ROUTES</c>: serve <c>/debug/*</c> (account auth required); refused in production.</summary>
    public bool DebugRoutes { get; set; }
    // --- firehose branch: stream subscriber caps (subscribeRepos and Jetstream /subscribe) ---

    /// <summary><c>PDS_FIREHOSE_MAX_SUBSCRIBERS</c>: most concurrent stream subscribers (503 beyond it).</summary>
    public int FirehoseMaxSubscribers { get; set; } = 10_000;

    /// <summary><c>PDS_FIREHOSE_MAX_SUBSCRIBERS_PER_IP</c>: most concurrent stream subscribers per address (429 beyond it).</summary>
    public int FirehoseMaxSubscribersPerIp { get; set; } = 16;

    /// <summary><c>ALTERAN_WEBSOCKET_MAX_PER_IP</c>: most WebSocket connections per address, any endpoint (429 beyond it).</summary>
    public int WebSocketMaxPerIp { get; set; } = 16;

    /// <summary>Environment name for logs.</summary>
    public string EnvironmentName => IsProduction ? "production" : "development";

    // --- branch bench: benchmark switch ---

    /// <summary>
    /// <c>PDS_RATE_LIMITS_ENABLED</c> (same name as the reference PDS; default true): <c>false</c> turns the XRPC rate
    /// limiter off, for load benchmarks on loopback (the per-IP write budget would otherwise answer 429 after 5,000 writes).
    /// </summary>
    public bool RateLimitsEnabled { get; set; } = true;
}
