using Alteran.Net.Http;

namespace Alteran.Net.Pds;

/// <summary>The account a request acts for, once its bearer access token has been verified.</summary>
/// <param name="AccountId">The store's compact account id.</param>
/// <param name="Did">The account's DID.</param>
/// <param name="Scope">The token scope (<c>com.atproto.access</c>, <c>com.atproto.appPass</c>, <c>com.atproto.appPassPrivileged</c>).</param>
public sealed record AuthenticatedAccount(long AccountId, string Did, string Scope)
{
    /// <summary>True when the session was opened with an app password (some routes refuse those).</summary>
    public bool IsAppPassword => Scope.StartsWith("com.atproto.appPass", StringComparison.Ordinal);
}

/// <summary>
/// The seam between XRPC handlers and authentication: handlers ask for the caller's account, the session layer
/// answers from the <c>Authorization: Bearer</c> access token.
/// </summary>
public interface IRequestAuthenticator
{
    /// <summary>
    /// The verified account of the request. Throws <c>XrpcException</c> 401 (<c>AuthenticationRequired</c>,
    /// <c>ExpiredToken</c> or <c>InvalidToken</c>) when the token is missing, expired or invalid.
    /// </summary>
    AuthenticatedAccount RequireAccess(HttpContext context);

    /// <summary>The verified account, or null when the request carries no Authorization header (invalid tokens still throw).</summary>
    AuthenticatedAccount? TryAccess(HttpContext context);
}
