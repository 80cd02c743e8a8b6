namespace Alteran.Net.Auth;

/// <summary>The header <c>typ</c> values that matter to atproto, parsed without allocating.</summary>
public enum JwtType
{
    /// <summary>No <c>typ</c> in the header.</summary>
    Missing,
    /// <summary><c>JWT</c>: what service-auth tokens carry.</summary>
    Jwt,
    /// <summary><c>at+jwt</c> (RFC 9068): PDS access tokens.</summary>
    Access,
    /// <summary><c>refresh+jwt</c>: PDS refresh tokens (an @atproto convention).</summary>
    Refresh,
    /// <summary><c>dpop+jwt</c> (RFC 9449): DPoP proofs, never accepted as bearer tokens.</summary>
    DPoP,
    /// <summary>Any other value.</summary>
    Other,
}
