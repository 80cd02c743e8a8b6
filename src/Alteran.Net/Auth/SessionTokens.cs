using System.Buffers.Text;
using System.Security.Cryptography;

namespace Alteran.Net.Auth;

/// <summary>A verified access token: who, with which scope, valid until when (Unix seconds).</summary>
public readonly record struct AccessTokenInfo(string Did, string Scope, long ExpiresAt);

/// <summary>A verified refresh token (signature, type, audience, scope; not yet checked against the store).</summary>
public readonly record struct RefreshTokenInfo(string Did, string Jti, long ExpiresAt);

/// <summary>An access + refresh pair as <c>createSession</c>/<c>refreshSession</c> return it.</summary>
public sealed record SessionTokenPair(string AccessJwt, string RefreshJwt, RefreshTokenRecord Refresh, long AccessExpiresAt);

/// <summary>Outcome of <see cref="SessionTokens.Refresh"/>: <see cref="Tokens"/> is set exactly when <see cref="Error"/> is None.</summary>
public readonly record struct RefreshResult(JwtError Error, SessionTokenPair? Tokens);

/// <summary>
/// PDS session tokens (com.atproto.server.createSession / refreshSession / deleteSession): HS256 access tokens
/// (<c>typ: at+jwt</c>, <c>scope</c>, <c>aud</c> = PDS DID, <c>sub</c>, <c>iat</c>, <c>exp</c>) and refresh tokens
/// (<c>typ: refresh+jwt</c>, scope <c>com.atproto.refresh</c>, plus <c>jti</c>) with single-use rotation.
/// A token pair is a pure function of its <see cref="RefreshTokenRecord"/>, which is how a retry within the grace
/// period gets byte-identical tokens without the store keeping any token text.
/// Access tokens are not looked up in the store: revoking a chain stops refreshes, and outstanding access tokens
/// lapse within <see cref="SessionTokenOptions.AccessLifetime"/> (as in the reference PDS).
/// </summary>
public sealed class SessionTokens
{
    private readonly SessionTokenOptions _options;
    private readonly IRefreshTokenStore _store;
    private readonly TimeProvider _time;
    private readonly long _leeway;

    /// <summary>Creates the token service over a refresh-token store and a clock.</summary>
    public SessionTokens(SessionTokenOptions options, IRefreshTokenStore store, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        if (options.Secret is not { Length: >= 16 })
            throw new ArgumentException("The JWT secret must be at least 16 bytes.", nameof(options));
        if (!options.ServiceDid.StartsWith("did:", StringComparison.Ordinal))
            throw new ArgumentException("ServiceDid must be a DID.", nameof(options));
        _options = options;
        _store = store;
        _time = time ?? TimeProvider.System;
        _leeway = (long)options.ClockLeeway.TotalSeconds;
    }

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Starts a new chain for a successful login and returns its first pair.</summary>
    public SessionTokenPair CreateSession(string did, string accessScope = AuthScope.Access, string? appPasswordName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(did);
        if (!did.StartsWith("did:", StringComparison.Ordinal))
            throw new ArgumentException("Not a DID.", nameof(did));
        if (!AuthScope.IsAccessScope(accessScope))
            throw new ArgumentException($"'{accessScope}' is not an access scope.", nameof(accessScope));
        long now = Now;
        string jti = NewJti();
        var record = new RefreshTokenRecord
        {
            Jti = jti,
            FamilyId = jti,
            Did = did,
            AccessScope = accessScope,
            AppPasswordName = appPasswordName,
            IssuedAt = now,
            ExpiresAt = now + (long)_options.RefreshLifetime.TotalSeconds,
        };
        _store.Add(record);
        return IssuePair(record);
    }

    /// <summary>
    /// Verifies an access token: HS256 + <c>at+jwt</c>, signature, times, audience, a DID subject and an access
    /// scope (never <c>com.atproto.refresh</c>). Which access scopes a given method allows is the caller's policy.
    /// </summary>
    public JwtError TryVerifyAccess(ReadOnlySpan<char> token, out AccessTokenInfo info)
    {
        info = default;
        var error = Jwt.TryVerifyHs256(token, _options.Secret, JwtType.Access, _options.ServiceDid, out var claims);
        if (error != JwtError.None)
            return error;
        error = CheckCommon(claims!, Now, ignoreExpiry: false);
        if (error != JwtError.None)
            return error;
        if (!AuthScope.IsAccessScope(claims!.Scope))
            return JwtError.WrongScope;
        info = new AccessTokenInfo(claims.Sub!, claims.Scope!, claims.Exp!.Value);
        return JwtError.None;
    }

    /// <summary>Verifies a refresh token's signature, type, audience, scope and jti (and expiry unless <paramref name="allowExpired"/>).</summary>
    public JwtError TryVerifyRefresh(ReadOnlySpan<char> token, out RefreshTokenInfo info, bool allowExpired = false)
    {
        info = default;
        var error = Jwt.TryVerifyHs256(token, _options.Secret, JwtType.Refresh, _options.ServiceDid, out var claims);
        if (error != JwtError.None)
            return error;
        error = CheckCommon(claims!, Now, allowExpired);
        if (error != JwtError.None)
            return error;
        if (!ReferenceEquals(claims!.Scope, AuthScope.Refresh))
            return JwtError.WrongScope;
        if (string.IsNullOrEmpty(claims.Jti))
            return JwtError.MissingClaim;
        info = new RefreshTokenInfo(claims.Sub!, claims.Jti, claims.Exp!.Value);
        return JwtError.None;
    }

    /// <summary>
    /// refreshSession: verifies the refresh token, then applies <see cref="RefreshRotation.Decide"/>: rotate (new
    /// pair), replay within the grace period (the same next pair again), or revoke the chain on late reuse.
    /// </summary>
    public RefreshResult Refresh(ReadOnlySpan<char> refreshToken)
    {
        var error = TryVerifyRefresh(refreshToken, out var info);
        if (error != JwtError.None)
            return new RefreshResult(error, null);

        long grace = (long)_options.RefreshGracePeriod.TotalSeconds;
        // Two passes at most: if a concurrent refresh rotates the record between our read and TryRotate, the
        // second read sees it rotated and takes the replay path.
        for (int attempt = 0; attempt < 2; attempt++)
        {
            long now = Now;
            var record = _store.Get(info.Jti);
            switch (RefreshRotation.Decide(record, info.Did, now, grace))
            {
                case RefreshDecision.Rotate:
                    var next = record! with
                    {
                        Jti = NewJti(),
                        IssuedAt = now,
                        ExpiresAt = now + (long)_options.RefreshLifetime.TotalSeconds,
                        NextJti = null,
                        RotatedAt = null,
                    };
                    if (_store.TryRotate(record.Jti, next))
                        return new RefreshResult(JwtError.None, IssuePair(next));
                    continue;
                case RefreshDecision.Replay:
                    var successor = _store.Get(record!.NextJti!);
                    if (successor is null || successor.FamilyId != record.FamilyId || now >= successor.ExpiresAt)
                        return new RefreshResult(JwtError.Revoked, null);
                    return new RefreshResult(JwtError.None, IssuePair(successor));
                case RefreshDecision.RevokeChain:
                    _store.RevokeFamily(record!.FamilyId);
                    return new RefreshResult(JwtError.ReuseDetected, null);
                default:
                    return new RefreshResult(JwtError.Revoked, null);
            }
        }
        return new RefreshResult(JwtError.Revoked, null);
    }

    /// <summary>deleteSession: revokes the chain of a (possibly expired) refresh token. Returns None when a chain was found.</summary>
    public JwtError RevokeSession(ReadOnlySpan<char> refreshToken)
    {
        var error = TryVerifyRefresh(refreshToken, out var info, allowExpired: true);
        if (error != JwtError.None)
            return error;
        var record = _store.Get(info.Jti);
        if (record is null || record.Did != info.Did)
            return JwtError.Revoked;
        return _store.RevokeFamily(record.FamilyId) ? JwtError.None : JwtError.Revoked;
    }

    /// <summary>Rebuilds the token pair of a record. Deterministic: same record, same strings.</summary>
    public SessionTokenPair IssuePair(RefreshTokenRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        long accessExp = Math.Min(record.IssuedAt + (long)_options.AccessLifetime.TotalSeconds, record.ExpiresAt);
        string access = Jwt.SignHs256(_options.Secret, JwtType.Access, new JwtClaims
        {
            Scope = record.AccessScope,
            Aud = _options.ServiceDid,
            Sub = record.Did,
            Iat = record.IssuedAt,
            Exp = accessExp,
        });
        string refresh = Jwt.SignHs256(_options.Secret, JwtType.Refresh, new JwtClaims
        {
            Scope = AuthScope.Refresh,
            Aud = _options.ServiceDid,
            Sub = record.Did,
            Jti = record.Jti,
            Iat = record.IssuedAt,
            Exp = record.ExpiresAt,
        });
        return new SessionTokenPair(access, refresh, record, accessExp);
    }

    private JwtError CheckCommon(JwtClaims claims, long now, bool ignoreExpiry)
    {
        if (claims.Exp is null || claims.Sub is null || !claims.Sub.StartsWith("did:", StringComparison.Ordinal))
            return JwtError.MissingClaim;
        if (!ignoreExpiry)
        {
            var error = claims.CheckTimes(now, _leeway);
            if (error != JwtError.None)
                return error;
        }
        return claims.Aud == _options.ServiceDid ? JwtError.None : JwtError.WrongAudience;
    }

    /// <summary>A fresh refresh-token id: 32 random bytes, base64url (43 characters).</summary>
    public static string NewJti()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }
}
