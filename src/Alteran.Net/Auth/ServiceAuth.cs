using System.Security.Cryptography;
using Alteran.Protocol.Crypto;

namespace Alteran.Net.Auth;

/// <summary>A verified inter-service token: who sent it, to whom, for which method, until when.</summary>
public readonly record struct ServiceAuthInfo(string Issuer, string Audience, string? Lxm, long ExpiresAt, string? Jti);

/// <summary>Outcome of <see cref="ServiceAuth.VerifyAsync"/>; <see cref="Info"/> is meaningful when <see cref="Error"/> is None.</summary>
public readonly record struct ServiceAuthResult(JwtError Error, ServiceAuthInfo Info);

/// <summary>
/// atproto inter-service auth (specs/xrpc "Inter-Service Authentication"): short-lived JWTs signed with the
/// account's repo signing key, header <c>{"typ":"JWT","alg":"ES256K"|"ES256"}</c>, claims <c>iss</c> (account DID),
/// <c>aud</c> (target service DID, maybe with a <c>#service</c> fragment), <c>exp</c>, <c>iat</c>, <c>lxm</c>
/// (method NSID) and a random <c>jti</c>.
/// </summary>
public static class ServiceAuth
{
    /// <summary>Lifetime when the caller does not ask for one (reference createServiceJwt: 60 s).</summary>
    public const long DefaultLifetimeSeconds = 60;

    /// <summary>Longest lifetime <c>getServiceAuth</c> grants (reference: one hour).</summary>
    public const long MaxLifetimeSeconds = 60 * 60;

    /// <summary>Longest lifetime of a token without <c>lxm</c> (reference: one minute).</summary>
    public const long MaxMethodlessLifetimeSeconds = 60;

    /// <summary>Clock-skew tolerance when verifying tokens from other servers.</summary>
    public const long DefaultLeewaySeconds = 30;

    /// <summary>
    /// Methods a service token may never be requested for through getServiceAuth (the reference PDS's
    /// PROTECTED_METHODS): account-management calls that must come from the user's own session.
    /// </summary>
    public static readonly IReadOnlySet<string> ProtectedMethods = new HashSet<string>(StringComparer.Ordinal)
    {
        "com.atproto.admin.sendEmail",
        "com.atproto.identity.requestPlcOperationSignature",
        "com.atproto.identity.signPlcOperation",
        "com.atproto.identity.updateHandle",
        "com.atproto.server.activateAccount",
        "com.atproto.server.confirmEmail",
        "com.atproto.server.createAppPassword",
        "com.atproto.server.deactivateAccount",
        "com.atproto.server.getAccountInviteCodes",
        "com.atproto.server.getSession",
        "com.atproto.server.listAppPasswords",
        "com.atproto.server.requestAccountDelete",
        "com.atproto.server.requestEmailConfirmation",
        "com.atproto.server.requestEmailUpdate",
        "com.atproto.server.revokeAppPassword",
        "com.atproto.server.updateEmail",
    };

    /// <summary>
    /// Methods only a full session or a <em>privileged</em> app password may call or get service auth for (the
    /// reference PDS's PRIVILEGED_METHODS: chat.bsky DMs and account creation on another service).
    /// </summary>
    public static readonly IReadOnlySet<string> PrivilegedMethods = new HashSet<string>(StringComparer.Ordinal)
    {
        "chat.bsky.actor.deleteAccount",
        "chat.bsky.actor.exportAccountData",
        "chat.bsky.convo.deleteMessageForSelf",
        "chat.bsky.convo.getConvo",
        "chat.bsky.convo.getConvoForMembers",
        "chat.bsky.convo.getLog",
        "chat.bsky.convo.getMessages",
        "chat.bsky.convo.leaveConvo",
        "chat.bsky.convo.listConvos",
        "chat.bsky.convo.muteConvo",
        "chat.bsky.convo.sendMessage",
        "chat.bsky.convo.sendMessageBatch",
        "chat.bsky.convo.unmuteConvo",
        "chat.bsky.convo.updateRead",
        "com.atproto.server.createAccount",
    };

    /// <summary>
    /// getServiceAuth / outgoing proxy calls: signs a token for <paramref name="audience"/> with the repo key.
    /// <paramref name="expiresAt"/> (Unix seconds) defaults to now + 60 s; it must not be in the past, more than an
    /// hour ahead, or more than a minute ahead when <paramref name="lxm"/> is null. Protected methods are refused.
    /// </summary>
    /// <exception cref="JwtException">Bad lifetime (<see cref="JwtError.Expired"/>, <see cref="JwtError.LifetimeTooLong"/>) or protected method (<see cref="JwtError.WrongLexiconMethod"/>).</exception>
    public static string Create(PrivateKey signingKey, string issuer, string audience, string? lxm, long? expiresAt, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        if (string.IsNullOrEmpty(issuer) || !issuer.StartsWith("did:", StringComparison.Ordinal))
            throw new ArgumentException("The issuer must be a DID.", nameof(issuer));
        if (string.IsNullOrEmpty(audience) || !audience.StartsWith("did:", StringComparison.Ordinal))
            throw new ArgumentException("The audience must be a DID.", nameof(audience));
        if (lxm is not null && ProtectedMethods.Contains(lxm))
            throw new JwtException(JwtError.WrongLexiconMethod, $"Cannot issue a service auth token for the protected method {lxm}.");

        long now = (time ?? TimeProvider.System).GetUtcNow().ToUnixTimeSeconds();
        long exp = expiresAt ?? now + DefaultLifetimeSeconds;
        if (exp < now)
            throw new JwtException(JwtError.Expired, "The expiration is in the past.");
        if (exp - now > MaxLifetimeSeconds)
            throw new JwtException(JwtError.LifetimeTooLong, "Cannot issue a token that expires more than an hour in the future.");
        if (lxm is null && exp - now > MaxMethodlessLifetimeSeconds)
            throw new JwtException(JwtError.LifetimeTooLong, "Cannot issue a method-less token that expires more than a minute in the future.");

        Span<byte> nonce = stackalloc byte[16];
        RandomNumberGenerator.Fill(nonce);
        return Jwt.SignEcdsa(signingKey, JwtType.Jwt, new JwtClaims
        {
            Iat = now,
            Iss = issuer,
            Aud = audience,
            Exp = exp,
            Lxm = lxm,
            Jti = Convert.ToHexStringLower(nonce),
        });
    }

    /// <summary>
    /// Verifies an incoming service token. Checks, in order: structure and header (alg ES256K/ES256; typ not
    /// <c>at+jwt</c>/<c>refresh+jwt</c>/<c>dpop+jwt</c>), claims (<c>iss</c> and <c>aud</c> DIDs, integer <c>exp</c>),
    /// times with <paramref name="leewaySeconds"/>, lifetime at most <see cref="MaxLifetimeSeconds"/> ahead,
    /// <c>aud</c> = <paramref name="audience"/> (unless null), <c>lxm</c> = <paramref name="lxm"/> (unless null), then
    /// the signature with the resolved key; on failure it re-resolves once with forceRefresh (key rotation).
    /// </summary>
    public static async ValueTask<ServiceAuthResult> VerifyAsync(
        string token,
        string? audience,
        string? lxm,
        IServiceAuthKeyResolver resolver,
        TimeProvider? time = null,
        long leewaySeconds = DefaultLeewaySeconds,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(resolver);
        var error = CheckClaims(token, audience, lxm, (time ?? TimeProvider.System).GetUtcNow().ToUnixTimeSeconds(),
            leewaySeconds, out var info);
        if (error != JwtError.None)
            return new ServiceAuthResult(error, default);

        var key = await resolver.ResolveSigningKeyAsync(info.Issuer, false, cancellationToken).ConfigureAwait(false);
        error = key is null ? JwtError.UnknownIssuer : Jwt.VerifyEcdsaSignature(token, key);
        if (error == JwtError.None)
            return new ServiceAuthResult(JwtError.None, info);

        var fresh = await resolver.ResolveSigningKeyAsync(info.Issuer, true, cancellationToken).ConfigureAwait(false);
        if (fresh is null || fresh.Equals(key))
            return new ServiceAuthResult(error, default);
        error = Jwt.VerifyEcdsaSignature(token, fresh);
        return new ServiceAuthResult(error, error == JwtError.None ? info : default);
    }

    /// <summary>Everything but the signature; synchronous so the token can stay a span.</summary>
    private static JwtError CheckClaims(ReadOnlySpan<char> token, string? audience, string? lxm, long now, long leeway, out ServiceAuthInfo info)
    {
        info = default;
        var error = Jwt.TryReadUnverified(token, out _, out var type, out var claims);
        if (error != JwtError.None)
            return error;
        if (type is JwtType.Access or JwtType.Refresh or JwtType.DPoP)
            return JwtError.WrongType;
        if (claims!.Iss is not { } iss || !iss.StartsWith("did:", StringComparison.Ordinal) || claims.Exp is not { } exp)
            return JwtError.MissingClaim;
        if (claims.Aud is not { } aud || !aud.StartsWith("did:", StringComparison.Ordinal))
            return JwtError.WrongAudience;
        error = claims.CheckTimes(now, leeway);
        if (error != JwtError.None)
            return error;
        if (exp - now > MaxLifetimeSeconds + leeway)
            return JwtError.LifetimeTooLong;
        if (claims.Iat is { } iat && exp <= iat)
            return JwtError.Malformed;
        if (audience is not null && aud != audience)
            return JwtError.WrongAudience;
        if (lxm is not null && claims.Lxm != lxm)
            return JwtError.WrongLexiconMethod;
        info = new ServiceAuthInfo(iss, aud, claims.Lxm, exp, claims.Jti);
        return JwtError.None;
    }
}
