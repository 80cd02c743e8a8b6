namespace Alteran.Net.Auth;

/// <summary>
/// Values of the <c>scope</c> claim in PDS session tokens, as the reference PDS writes them
/// (packages/pds/src/auth-scope.ts). Parsed scopes are mapped back to these instances, so callers may compare by
/// reference or with <see cref="string.Equals(string?)"/>.
/// </summary>
public static class AuthScope
{
    /// <summary>Full access token from a password login.</summary>
    public const string Access = "com.atproto.access";
    /// <summary>Refresh token.</summary>
    public const string Refresh = "com.atproto.refresh";
    /// <summary>Access token from an app password.</summary>
    public const string AppPass = "com.atproto.appPass";
    /// <summary>Access token from a privileged app password (may use chat/DM methods).</summary>
    public const string AppPassPrivileged = "com.atproto.appPassPrivileged";
    /// <summary>Account created while signups are queued: very limited access.</summary>
    public const string SignupQueued = "com.atproto.signupQueued";
    /// <summary>Taken-down account: may only read its own status / export.</summary>
    public const string Takendown = "com.atproto.takendown";

    /// <summary>Maps UTF-8 scope bytes to the interned constant, or null when unknown.</summary>
    internal static string? Intern(ReadOnlySpan<byte> utf8) =>
        utf8.SequenceEqual("com.atproto.access"u8) ? Access :
        utf8.SequenceEqual("com.atproto.refresh"u8) ? Refresh :
        utf8.SequenceEqual("com.atproto.appPass"u8) ? AppPass :
        utf8.SequenceEqual("com.atproto.appPassPrivileged"u8) ? AppPassPrivileged :
        utf8.SequenceEqual("com.atproto.signupQueued"u8) ? SignupQueued :
        utf8.SequenceEqual("com.atproto.takendown"u8) ? Takendown :
        null;

    /// <summary>True for the scopes an access token may carry (everything but <see cref="Refresh"/>).</summary>
    public static bool IsAccessScope(string? scope) =>
        scope is Access or AppPass or AppPassPrivileged or SignupQueued or Takendown;
}
