using Alteran.Net.Auth;
using Alteran.Net.Http;
using Alteran.Net.Xrpc;
using Alteran.Storage;

namespace Alteran.Net.Pds;

/// <summary>
/// <see cref="IRequestAuthenticator"/> over HS256 session access tokens (<see cref="SessionTokens.TryVerifyAccess"/>).
/// Errors follow the reference PDS (packages/pds/src/auth-verifier.ts): no or non-Bearer header → 401
/// <c>AuthenticationRequired</c>; an expired token → 400 <c>ExpiredToken</c>; any other bad token → 400
/// <c>InvalidToken</c> (clients such as AtpAgent refresh on 400 <c>ExpiredToken</c>). A token whose DID is not hosted
/// here (deleted account) is 401 <c>AuthenticationRequired</c>.
/// </summary>
public sealed class BearerAuthenticator(SessionTokens tokens, AlteranStore store) : IRequestAuthenticator
{
    /// <inheritdoc />
    public AuthenticatedAccount RequireAccess(HttpContext context) =>
        TryAccess(context) ?? throw XrpcException.AuthenticationRequired();

    /// <inheritdoc />
    public AuthenticatedAccount? TryAccess(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.TryGetHeader("authorization"u8, out ReadOnlySpan<byte> header))
            return null;
        if (header.Length < 8 || !System.Text.Ascii.EqualsIgnoreCase(header[..7], "Bearer "u8))
            throw XrpcException.AuthenticationRequired("Unexpected authorization type");
        ReadOnlySpan<byte> raw = header[7..].Trim((byte)' ');
        if (raw.IsEmpty || raw.Length > Jwt.MaxTokenLength)
            throw new XrpcException(400, "InvalidToken", "Token could not be verified");
        Span<char> token = stackalloc char[raw.Length];
        for (int i = 0; i < raw.Length; i++)
            token[i] = (char)raw[i];
        JwtError error = tokens.TryVerifyAccess(token, out AccessTokenInfo info);
        if (error == JwtError.Expired)
            throw new XrpcException(400, "ExpiredToken", "Token has expired");
        if (error != JwtError.None)
            throw new XrpcException(400, "InvalidToken", "Token could not be verified");
        if (!store.TryGetAccountIdByDid(info.Did, out long account))
            throw XrpcException.AuthenticationRequired("Account not found");
        return new AuthenticatedAccount(account, info.Did, info.Scope);
    }
}
