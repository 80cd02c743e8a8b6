namespace Alteran.Net.Auth;

/// <summary>
/// Why a token was refused. <see cref="None"/> means accepted. The XRPC layer maps <see cref="Expired"/> to
/// <c>ExpiredToken</c> and everything else to <c>InvalidToken</c> (service auth: <c>BadJwt*</c> codes).
/// </summary>
public enum JwtError
{
    /// <summary>Accepted.</summary>
    None = 0,
    /// <summary>Not three non-empty strict base64url segments, bad JSON, or a claim of the wrong JSON type.</summary>
    Malformed,
    /// <summary>Longer than <see cref="Jwt.MaxTokenLength"/>.</summary>
    TooLong,
    /// <summary>The header <c>alg</c> is not the one the verifier expects (covers <c>none</c> and HS/ES swaps).</summary>
    WrongAlgorithm,
    /// <summary>The header <c>typ</c> is missing, not the expected one, or one that is forbidden here.</summary>
    WrongType,
    /// <summary>The header names a <c>crit</c> extension we do not implement.</summary>
    UnsupportedHeader,
    /// <summary>The signature does not verify.</summary>
    BadSignature,
    /// <summary><c>exp</c> is in the past (beyond the leeway).</summary>
    Expired,
    /// <summary><c>iat</c> or <c>nbf</c> is in the future (beyond the leeway).</summary>
    NotYetValid,
    /// <summary><c>exp</c> is further in the future than this kind of token may live.</summary>
    LifetimeTooLong,
    /// <summary><c>aud</c> is missing or not the expected audience.</summary>
    WrongAudience,
    /// <summary><c>scope</c> is missing or not allowed here.</summary>
    WrongScope,
    /// <summary>A required claim (<c>sub</c>, <c>iss</c>, <c>exp</c>, <c>jti</c>) is missing or not a DID where one is required.</summary>
    MissingClaim,
    /// <summary>Service auth: <c>lxm</c> does not match the method being called.</summary>
    WrongLexiconMethod,
    /// <summary>Service auth: no signing key could be resolved for <c>iss</c>.</summary>
    UnknownIssuer,
    /// <summary>Refresh: the token is unknown to the store or was revoked (including chain revocation after reuse).</summary>
    Revoked,
    /// <summary>Refresh: a rotated token was presented again after the grace period; the whole chain is now revoked.</summary>
    ReuseDetected,
}

/// <summary>Thrown by the token <em>issuing</em> APIs for bad requests (e.g. a service-auth lifetime over the limit).</summary>
public sealed class JwtException(JwtError error, string message) : Exception(message)
{
    /// <summary>The reason.</summary>
    public JwtError Error { get; } = error;
}
