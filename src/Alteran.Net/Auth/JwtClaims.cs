namespace Alteran.Net.Auth;

/// <summary>
/// The registered claims atproto tokens use. Unknown claims in a token are ignored when reading and never written.
/// Times are NumericDate: whole seconds since the Unix epoch.
/// </summary>
public sealed class JwtClaims
{
    /// <summary><c>iss</c>: service auth issuer DID (optionally with a <c>#service</c> fragment).</summary>
    public string? Iss { get; set; }
    /// <summary><c>sub</c>: the account DID of a session token.</summary>
    public string? Sub { get; set; }
    /// <summary><c>aud</c>: the DID of the service the token is for. Arrays are refused.</summary>
    public string? Aud { get; set; }
    /// <summary><c>scope</c>: one of <see cref="AuthScope"/> (known values are interned), or another string.</summary>
    public string? Scope { get; set; }
    /// <summary><c>lxm</c>: service auth, the NSID of the one method the token may call.</summary>
    public string? Lxm { get; set; }
    /// <summary><c>jti</c>: unique token id.</summary>
    public string? Jti { get; set; }
    /// <summary><c>iat</c>: issued at.</summary>
    public long? Iat { get; set; }
    /// <summary><c>nbf</c>: not before.</summary>
    public long? Nbf { get; set; }
    /// <summary><c>exp</c>: expires at.</summary>
    public long? Exp { get; set; }

    /// <summary>
    /// Checks <c>exp</c> (required), <c>iat</c> and <c>nbf</c> against <paramref name="now"/> with
    /// <paramref name="leewaySeconds"/> of tolerance for clock skew.
    /// </summary>
    public JwtError CheckTimes(long now, long leewaySeconds)
    {
        if (Exp is not { } exp)
            return JwtError.MissingClaim;
        if (now >= exp + leewaySeconds)
            return JwtError.Expired;
        if (Iat is { } iat && iat > now + leewaySeconds)
            return JwtError.NotYetValid;
        if (Nbf is { } nbf && nbf > now + leewaySeconds)
            return JwtError.NotYetValid;
        return JwtError.None;
    }
}
