using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace Alteran.Net.Hosting;

/// <summary>
/// Reads <see cref="AlteranOptions"/> from configuration keys by hand (AOT-safe) and validates them. Validation
/// collects every problem so start-up fails once with a complete, clear message.
/// </summary>
public static class AlteranOptionsLoader
{
    /// <summary>Reads options; malformed values are reported in <paramref name="errors"/>.</summary>
    public static AlteranOptions Load(IConfiguration configuration, List<string> errors)
    {
        var o = new AlteranOptions();
        string? env = Get(configuration, "PDS_ENV");
        if (env is not null)
        {
            if (env.Equals("production", StringComparison.OrdinalIgnoreCase) || env.Equals("prod", StringComparison.OrdinalIgnoreCase))
            {
                o.IsProduction = true;
            }
            else if (!env.Equals("development", StringComparison.OrdinalIgnoreCase) && !env.Equals("dev", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"PDS_ENV must be 'production' or 'development', not '{env}'");
            }
        }

        if (Get(configuration, "ALTERAN_LISTEN") is { } listen)
        {
            if (TryParseEndPoint(listen, out IPEndPoint? endPoint))
            {
                o.Listen = endPoint;
            }
            else
            {
                errors.Add($"ALTERAN_LISTEN must be address:port (e.g. 127.0.0.1:2583 or [::1]:2583), not '{listen}'");
            }
        }

        o.DataDirectory = Get(configuration, "ALTERAN_DATA") ?? o.DataDirectory;
        o.Hostname = Get(configuration, "PDS_HOSTNAME");
        o.Did = Get(configuration, "PDS_DID");
        o.Handle = Get(configuration, "PDS_HANDLE");
        o.UserPassword = Get(configuration, "USER_PASSWORD");
        o.AccessTokenSecret = Get(configuration, "ACCESS_TOKEN");
        o.RefreshTokenSecret = Get(configuration, "REFRESH_TOKEN");
        o.RepoSigningKey = Get(configuration, "REPO_SIGNING_KEY");
        o.TlsCertificatePath = Get(configuration, "ALTERAN_TLS_CERT");
        o.TlsKeyPath = Get(configuration, "ALTERAN_TLS_KEY");
        string? cors = Get(configuration, "PDS_CORS_ORIGIN");
        o.CorsOrigins = cors is null
            ? (o.IsProduction ? [] : ["*"])
            : cors.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        o.MaxJsonBytes = GetInt64(configuration, "PDS_MAX_JSON_BYTES", o.MaxJsonBytes, errors);
        o.MaxApplyWritesBytes = GetInt64(configuration, "PDS_MAX_APPLYWRITES_BYTES", o.MaxApplyWritesBytes, errors);
        o.MaxBlobBytes = GetInt64(configuration, "PDS_MAX_BLOB_SIZE", o.MaxBlobBytes, errors);
        o.RateLimitPerMinute = (int)GetInt64(configuration, "PDS_RATE_LIMIT_PER_MIN", o.RateLimitPerMinute, errors, int.MaxValue);
        o.MaxConnections = (int)GetInt64(configuration, "ALTERAN_MAX_CONNECTIONS", o.MaxConnections, errors, int.MaxValue);
        o.MaxConnectionsPerIp = (int)GetInt64(configuration, "ALTERAN_MAX_CONNECTIONS_PER_IP", o.MaxConnectionsPerIp, errors, int.MaxValue);
        o.HeaderTimeoutSeconds = GetSeconds(configuration, "ALTERAN_HEADER_TIMEOUT_SECONDS", o.HeaderTimeoutSeconds, errors);
        o.KeepAliveTimeoutSeconds = GetSeconds(configuration, "ALTERAN_KEEPALIVE_TIMEOUT_SECONDS", o.KeepAliveTimeoutSeconds, errors);
        o.ShutdownTimeoutSeconds = GetSeconds(configuration, "ALTERAN_SHUTDOWN_TIMEOUT_SECONDS", o.ShutdownTimeoutSeconds, errors);

        // ---- identity branch: handle resolution, requestCrawl, /debug ----
        if (Get(configuration, "PDS_DNS_RESOLVER") is { } dns)
        {
            if (Alteran.Net.Identity.Dns.ResolvConf.TryParseServer(dns, out IPEndPoint? dnsServer))
                o.DnsResolver = dnsServer;
            else
                errors.Add($"PDS_DNS_RESOLVER must be an IP address with an optional port (1.1.1.1, 1.1.1.1:53, [::1]:53), not '{dns}'");
        }
        if (Get(configuration, "PDS_RELAY_HOSTS") is { } relays)
        {
            o.RelayHosts = relays.Equals("none", StringComparison.OrdinalIgnoreCase)
                ? []
                : relays.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        if (Get(configuration, "PDS_DEBUG_ROUTES") is { } debug)
        {
            if (bool.TryParse(debug, out bool enabled))
                o.DebugRoutes = enabled;
            else
                errors.Add($"PDS_DEBUG_ROUTES must be true or false, not '{debug}'");
        }
        // --- branch bench ---
        string? rateLimits = Get(configuration, "PDS_RATE_LIMITS_ENABLED");
        if (rateLimits is not null)
        {
            if (bool.TryParse(rateLimits, out bool rateLimitsOn))
            {
                o.RateLimitsEnabled = rateLimitsOn;
            }
            else
            {
                errors.Add($"PDS_RATE_LIMITS_ENABLED must be true or false: '{rateLimits}'");
            }
        }

        // firehose branch: stream subscriber caps
        o.FirehoseMaxSubscribers = (int)GetInt64(configuration, "PDS_FIREHOSE_MAX_SUBSCRIBERS", o.FirehoseMaxSubscribers, errors, int.MaxValue);
        o.FirehoseMaxSubscribersPerIp = (int)GetInt64(configuration, "PDS_FIREHOSE_MAX_SUBSCRIBERS_PER_IP", o.FirehoseMaxSubscribersPerIp, errors, int.MaxValue);
        o.WebSocketMaxPerIp = (int)GetInt64(configuration, "ALTERAN_WEBSOCKET_MAX_PER_IP", o.WebSocketMaxPerIp, errors, int.MaxValue);
        return o;
    }

    /// <summary>Checks rules that span several values; appends every problem to <paramref name="errors"/>.</summary>
    public static void Validate(AlteranOptions o, List<string> errors)
    {
        if (o.IsProduction)
        {
            Require(o.Hostname, "PDS_HOSTNAME", errors);
            Require(o.Did, "PDS_DID", errors);
            Require(o.Handle, "PDS_HANDLE", errors);
            Require(o.UserPassword, "USER_PASSWORD", errors);
            Require(o.AccessTokenSecret, "ACCESS_TOKEN", errors);
            Require(o.RefreshTokenSecret, "REFRESH_TOKEN", errors);
            Require(o.RepoSigningKey, "REPO_SIGNING_KEY", errors);
            foreach (string origin in o.CorsOrigins)
            {
                if (origin == "*")
                {
                    errors.Add("PDS_CORS_ORIGIN must list origins in production; '*' is refused");
                }
            }
        }

        if (o.Did is not null && !IdentifierSyntax.IsValidDid(o.Did))
        {
            errors.Add($"PDS_DID is not a valid DID: '{o.Did}'");
        }

        if (o.Handle is not null && !IdentifierSyntax.IsValidHandle(o.Handle))
        {
            errors.Add($"PDS_HANDLE is not a valid handle: '{o.Handle}'");
        }

        if (o.Hostname is not null && !IdentifierSyntax.IsValidHostname(o.Hostname))
        {
            errors.Add($"PDS_HOSTNAME must be a host name without scheme or path: '{o.Hostname}'");
        }

        foreach (string origin in o.CorsOrigins)
        {
            if (origin != "*" && !(Uri.TryCreate(origin, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/"))
            {
                errors.Add($"PDS_CORS_ORIGIN entry is not an origin (scheme://host[:port]): '{origin}'");
            }
        }

        if ((o.TlsCertificatePath is null) != (o.TlsKeyPath is null))
        {
            errors.Add("ALTERAN_TLS_CERT and ALTERAN_TLS_KEY must be set together");
        }
        else if (o.TlsCertificatePath is not null)
        {
            if (!File.Exists(o.TlsCertificatePath))
            {
                errors.Add($"ALTERAN_TLS_CERT file not found: '{o.TlsCertificatePath}'");
            }

            if (!File.Exists(o.TlsKeyPath))
            {
                errors.Add($"ALTERAN_TLS_KEY file not found: '{o.TlsKeyPath}'");
            }
        }

        if (string.IsNullOrWhiteSpace(o.DataDirectory))
        {
            errors.Add("ALTERAN_DATA must not be empty");
        }

        // ---- identity branch: requestCrawl relays, /debug ----
        foreach (string relay in o.RelayHosts)
        {
            if (!Alteran.Net.Relay.RelayEndpoint.TryParse(relay, out _))
                errors.Add($"PDS_RELAY_HOSTS entry must be a host name or an https://host[:port] (http only for 127.0.0.1/[::1]) origin: '{relay}'");
        }
        if (o.DebugRoutes && o.IsProduction)
        {
            errors.Add("PDS_DEBUG_ROUTES is refused in production");
        }
    }

    /// <summary>Parses <c>host:port</c> with an IPv4 address or a bracketed IPv6 address.</summary>
    public static bool TryParseEndPoint(string value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (value.Contains(':') && (value.StartsWith('[') || value.AsSpan().Count(':') == 1)
            && IPEndPoint.TryParse(value, out IPEndPoint? parsed) && parsed.Port is > 0 and <= 65535
            && value.EndsWith(":" + parsed.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))
        {
            endPoint = parsed;
            return true;
        }

        return false;
    }

    private static string? Get(IConfiguration configuration, string key)
    {
        string? value = configuration[key];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private static void Require(string? value, string key, List<string> errors)
    {
        if (value is null)
        {
            errors.Add($"{key} is required in production");
        }
    }

    private static long GetInt64(IConfiguration configuration, string key, long fallback, List<string> errors, long max = long.MaxValue)
    {
        string? value = Get(configuration, key);
        if (value is null)
        {
            return fallback;
        }

        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed) || parsed <= 0 || parsed > max)
        {
            errors.Add($"{key} must be a positive integer, not '{value}'");
            return fallback;
        }

        return parsed;
    }

    private static double GetSeconds(IConfiguration configuration, string key, double fallback, List<string> errors)
    {
        string? value = Get(configuration, key);
        if (value is null)
        {
            return fallback;
        }

        if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double parsed) || parsed <= 0 || parsed > 86400)
        {
            errors.Add($"{key} must be a positive number of seconds, not '{value}'");
            return fallback;
        }

        return parsed;
    }
}
