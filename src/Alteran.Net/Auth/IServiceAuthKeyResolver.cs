using Alteran.Protocol.Crypto;

namespace Alteran.Net.Auth;

/// <summary>
/// Finds the signing key of a service-auth issuer (the DID document's <c>#atproto</c> key, or for an
/// <c>iss</c> like <c>did:…#atproto_labeler</c> that service's key). Implemented later over DID resolution.
/// </summary>
public interface IServiceAuthKeyResolver
{
    /// <summary>
    /// The issuer's current signing key, or null if it has none. <paramref name="forceRefresh"/> asks to bypass
    /// caches: the verifier retries once with it when the cached key fails (the issuer may have rotated keys).
    /// </summary>
    ValueTask<PublicKey?> ResolveSigningKeyAsync(string issuer, bool forceRefresh, CancellationToken cancellationToken);
}
