namespace Alteran.Storage.Accounts;

/// <summary>Hosting status of an account (atproto <c>#account</c> event statuses plus Active).</summary>
public enum AccountStatus : byte
{
    /// <summary>Active.</summary>
    Active = 0,
    /// <summary>Deactivated by the user.</summary>
    Deactivated = 1,
    /// <summary>Taken down by the operator.</summary>
    Takendown = 2,
    /// <summary>Temporarily suspended.</summary>
    Suspended = 3,
    /// <summary>Deleted (row kept only until cleanup).</summary>
    Deleted = 4,
}

/// <summary>
/// One hosted account. Storage treats the credential fields as opaque bytes: the PDS layer decides the password
/// hash format (Argon2id parameters + salt + hash) and the key encoding.
/// </summary>
public sealed class AccountRow
{
    /// <summary>Compact numeric id used in every key (assigned by <see cref="AlteranStore.CreateAccountAsync"/>).</summary>
    public long AccountId { get; set; }

    /// <summary>The account's DID.</summary>
    public required string Did { get; set; }

    /// <summary>The handle (lower-case), or null when none is set.</summary>
    public string? Handle { get; set; }

    /// <summary>Email address, or null.</summary>
    public string? Email { get; set; }

    /// <summary>Hosting status.</summary>
    public AccountStatus Status { get; set; }

    /// <summary>Creation time, unix ms.</summary>
    public long CreatedAt { get; set; }

    /// <summary>Encoded password hash, or null for accounts without a password.</summary>
    public byte[]? PasswordHash { get; set; }

    /// <summary>Encoded repo signing key (private), or null.</summary>
    public byte[]? SigningKey { get; set; }

    /// <summary>Encoded PLC rotation key(s), or null.</summary>
    public byte[]? RotationKeys { get; set; }
}
