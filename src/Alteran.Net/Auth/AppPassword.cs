using System.Security.Cryptography;

namespace Alteran.Net.Auth;

/// <summary>An app password as the account's store keeps it: name, PHC hash, privilege.</summary>
public sealed record AppPasswordEntry(string Name, string PasswordHash, bool Privileged, DateTimeOffset CreatedAt);

/// <summary>
/// App passwords (com.atproto.server.createAppPassword): 16 random characters of lowercase base32
/// (<c>a-z2-7</c>, 80 bits) shown as <c>xxxx-xxxx-xxxx-xxxx</c>, like the reference PDS. They are hashed with
/// <see cref="PasswordHasher"/>; a login with one yields access scope <see cref="AuthScope.AppPass"/> or, when
/// privileged, <see cref="AuthScope.AppPassPrivileged"/>.
/// </summary>
public static class AppPassword
{
    /// <summary>Length of the displayed form including dashes.</summary>
    public const int Length = 19;

    /// <summary>Longest accepted app-password name (the lexicon has no bound; this keeps rows small).</summary>
    public const int MaxNameLength = 128;

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>A new random app password, e.g. <c>k3x9-…</c>.</summary>
    public static string Generate() => string.Create(Length, 0, static (chars, _) =>
    {
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        int r = 0;
        for (int i = 0; i < Length; i++)
            chars[i] = i % 5 == 4 ? '-' : Alphabet[random[r++] & 31]; // 256 is a multiple of 32: no bias
    });

    /// <summary>True for the <c>xxxx-xxxx-xxxx-xxxx</c> shape; lets a login try app passwords only when it could be one.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> password)
    {
        if (password.Length != Length)
            return false;
        for (int i = 0; i < Length; i++)
        {
            char c = password[i];
            if (i % 5 == 4 ? c != '-' : !(c is >= 'a' and <= 'z' or >= '2' and <= '7'))
                return false;
        }
        return true;
    }

    /// <summary>True for a usable name: 1..<see cref="MaxNameLength"/> characters, no control characters, not blank.</summary>
    public static bool IsValidName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > MaxNameLength || name.IsWhiteSpace())
            return false;
        foreach (char c in name)
            if (char.IsControl(c))
                return false;
        return true;
    }

    /// <summary>Generates and hashes a new app password; the caller stores <see cref="AppPasswordEntry"/> and shows the plain text once.</summary>
    public static async ValueTask<(string Password, AppPasswordEntry Entry)> CreateAsync(
        PasswordHasher hasher, string name, bool privileged, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        if (!IsValidName(name))
            throw new ArgumentException("Invalid app password name.", nameof(name));
        string password = Generate();
        string hash = await hasher.HashAsync(password, cancellationToken).ConfigureAwait(false);
        return (password, new AppPasswordEntry(name, hash, privileged, (time ?? TimeProvider.System).GetUtcNow()));
    }

    /// <summary>
    /// Finds which of the account's app passwords <paramref name="password"/> is, or null. Costs one Argon2id per
    /// entry (salts differ), so it returns early for passwords that are not app-password shaped.
    /// </summary>
    public static async ValueTask<AppPasswordEntry?> FindMatchAsync(
        PasswordHasher hasher, string password, IReadOnlyList<AppPasswordEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        ArgumentNullException.ThrowIfNull(entries);
        if (!IsWellFormed(password))
            return null;
        for (int i = 0; i < entries.Count; i++)
        {
            if (await hasher.VerifyAsync(password, entries[i].PasswordHash, cancellationToken).ConfigureAwait(false) != PasswordVerification.Failed)
                return entries[i];
        }
        return null;
    }

    /// <summary>The access scope a session opened with this app password gets.</summary>
    public static string ScopeFor(bool privileged) => privileged ? AuthScope.AppPassPrivileged : AuthScope.AppPass;
}
