namespace Alteran.Net.Xrpc;

/// <summary>
/// Per-client-IP XRPC rate limits (fixed windows). Defaults follow the reference PDS where it has a per-IP limit
/// (global, createSession) and are ours where it keys by account (repo writes) or has none (uploadBlob).
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Master switch; on by default (production and development). Tests may turn it off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Budget for every XRPC method per client per minute (<c>PDS_RATE_LIMIT_PER_MIN</c>, default 3000).</summary>
    public int GlobalPerMinute { get; set; } = 3000;

    /// <summary>createRecord/putRecord/deleteRecord/applyWrites per client per hour (default 5000: the reference's hourly write points, counted here per request).</summary>
    public int RepoWritesPerHour { get; set; } = 5000;

    /// <summary>uploadBlob calls per client per hour (default 1000; the reference has no separate blob limit).</summary>
    public int BlobUploadsPerHour { get; set; } = 1000;

    /// <summary>createSession calls per client per 5 minutes (default 30, as the reference).</summary>
    public int LoginsPerFiveMinutes { get; set; } = 30;

    /// <summary>Most client keys tracked per bucket before expired (then arbitrary) entries are evicted (default 100,000).</summary>
    public int MaxTrackedKeys { get; set; } = 100_000;
}
