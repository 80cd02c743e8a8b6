namespace Alteran.Net.Auth;

/// <summary>The JWS algorithms we issue and accept. Anything else (including <c>none</c>) is refused.</summary>
public enum JwtAlgorithm
{
    /// <summary>HMAC-SHA256: PDS session tokens (access and refresh).</summary>
    HS256,
    /// <summary>ECDSA secp256k1 + SHA-256, 64-byte r‖s low-S: service auth with a K-256 repo key.</summary>
    ES256K,
    /// <summary>ECDSA P-256 + SHA-256, 64-byte r‖s low-S: service auth with a P-256 repo key.</summary>
    ES256,
}
