namespace Alteran.Net.Auth;

/// <summary>Settings of <see cref="SessionTokens"/>. Defaults follow the reference PDS.</summary>
public sealed class SessionTokenOptions
{
    /// <summary>The HMAC key: the UTF-8 bytes of the configured JWT secret (what the reference PDS signs with).</summary>
    public required byte[] Secret { get; init; }

    /// <summary>This PDS's DID: the <c>aud</c> of every session token it issues and accepts.</summary>
    public required string ServiceDid { get; init; }

    /// <summary>Access-token lifetime (reference: 120 minutes).</summary>
    public TimeSpan AccessLifetime { get; init; } = TimeSpan.FromMinutes(120);

    /// <summary>Refresh-token lifetime (reference: 90 days).</summary>
    public TimeSpan RefreshLifetime { get; init; } = TimeSpan.FromDays(90);

    /// <summary>
    /// How long a just-rotated refresh token may be presented again and still get the same next pair, so a client
    /// that lost the response can retry (reference: REFRESH_GRACE_MS = 2 hours). After that, reuse revokes the chain.
    /// </summary>
    public TimeSpan RefreshGracePeriod { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Clock-skew tolerance for <c>exp</c>/<c>iat</c>/<c>nbf</c>.</summary>
    public TimeSpan ClockLeeway { get; init; } = TimeSpan.FromSeconds(5);
}
