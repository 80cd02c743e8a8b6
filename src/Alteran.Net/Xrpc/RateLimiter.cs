using System.Buffers.Text;
using System.Net;
using Alteran.Net.Http;

namespace Alteran.Net.Xrpc;

/// <summary>
/// Per-client-IP XRPC rate limits: a global bucket for every XRPC method plus stricter buckets for repo writes,
/// blob uploads and logins. Every limited response carries <c>RateLimit-Limit</c>, <c>-Remaining</c>,
/// <c>-Reset</c> (unix seconds) and <c>-Policy</c> of the most constrained bucket; plain paths (<c>/health</c>,
/// <c>/ready</c>), <c>/xrpc/_health</c> and subscriptions (which have their own connection caps) are never limited.
/// </summary>
public sealed class RateLimiter
{
    private static readonly string[] RepoWriteMethods =
    [
        "com.atproto.repo.createRecord",
        "com.atproto.repo.putRecord",
        "com.atproto.repo.deleteRecord",
        "com.atproto.repo.applyWrites",
    ];

    private readonly TimeProvider _time;
    private readonly Dictionary<string, RateLimitBucket> _byMethod = new(StringComparer.Ordinal);

    /// <summary>Creates the buckets from <paramref name="options"/>; <paramref name="time"/> defaults to the system clock.</summary>
    public RateLimiter(RateLimitOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time ?? TimeProvider.System;
        Global = new RateLimitBucket("global", options.GlobalPerMinute, TimeSpan.FromMinutes(1), options.MaxTrackedKeys);
        var writes = new RateLimitBucket("repo-write", options.RepoWritesPerHour, TimeSpan.FromHours(1), options.MaxTrackedKeys);
        foreach (string method in RepoWriteMethods)
        {
            _byMethod[method] = writes;
        }

        _byMethod["com.atproto.repo.uploadBlob"] = new RateLimitBucket("blob", options.BlobUploadsPerHour, TimeSpan.FromHours(1), options.MaxTrackedKeys);
        _byMethod["com.atproto.server.createSession"] = new RateLimitBucket("login", options.LoginsPerFiveMinutes, TimeSpan.FromMinutes(5), options.MaxTrackedKeys);
    }

    /// <summary>The bucket every limited XRPC method is charged to.</summary>
    public RateLimitBucket Global { get; }

    /// <summary>The extra bucket for <paramref name="method"/>, or null.</summary>
    public RateLimitBucket? RouteBucket(string method) => _byMethod.GetValueOrDefault(method);

    /// <summary>True when <paramref name="route"/> is rate-limited at all.</summary>
    public static bool AppliesTo(XrpcRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return !route.IsPath && route.Kind != XrpcMethodKind.Subscription && route.Name != "_health";
    }

    /// <summary>
    /// Charges one request from <paramref name="client"/> to the global bucket and <paramref name="routeBucket"/>;
    /// returns the most constrained decision (a refusal first, else the fewest remaining).
    /// </summary>
    public RateLimitDecision Acquire(IPAddress client, RateLimitBucket? routeBucket)
    {
        UInt128 key = RateLimitKey.From(client);
        DateTimeOffset now = _time.GetUtcNow();
        RateLimitDecision decision = Global.Acquire(key, now);
        if (routeBucket is not null)
        {
            RateLimitDecision specific = routeBucket.Acquire(key, now);
            if ((!specific.Allowed && (decision.Allowed || specific.ResetUnixSeconds > decision.ResetUnixSeconds))
                || (specific.Allowed && decision.Allowed && specific.Remaining < decision.Remaining))
            {
                decision = specific;
            }
        }

        return decision;
    }

    /// <summary>Writes the <c>RateLimit-*</c> headers (and <c>Retry-After</c> when refused) for <paramref name="decision"/>.</summary>
    public void WriteHeaders(HttpResponse response, in RateLimitDecision decision)
    {
        ArgumentNullException.ThrowIfNull(response);
        Span<byte> number = stackalloc byte[20];
        response.AddHeader("RateLimit-Limit"u8, Format(number, decision.Limit));
        response.AddHeader("RateLimit-Remaining"u8, Format(number, decision.Remaining));
        response.AddHeader("RateLimit-Reset"u8, Format(number, decision.ResetUnixSeconds));
        response.AddHeader("RateLimit-Policy"u8, decision.Bucket.PolicyUtf8);
        if (!decision.Allowed)
        {
            long wait = Math.Max(1, decision.ResetUnixSeconds - _time.GetUtcNow().ToUnixTimeSeconds());
            response.AddHeader("Retry-After"u8, Format(number, wait));
        }
    }

    private static ReadOnlySpan<byte> Format(Span<byte> buffer, long value)
    {
        Utf8Formatter.TryFormat(value, buffer, out int written);
        return buffer[..written];
    }
}
