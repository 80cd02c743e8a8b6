namespace Alteran.Net.Auth;

/// <summary>
/// Persistence seam for refresh-token chains, implemented by the storage layer. All methods are synchronous and
/// must be safe to call concurrently; <see cref="TryRotate"/> must be atomic.
/// </summary>
public interface IRefreshTokenStore
{
    /// <summary>The record for <paramref name="jti"/>, or null if unknown, revoked or forgotten.</summary>
    RefreshTokenRecord? Get(string jti);

    /// <summary>Stores the first record of a new chain (login). Its <see cref="RefreshTokenRecord.FamilyId"/> is its own jti.</summary>
    void Add(RefreshTokenRecord record);

    /// <summary>
    /// Atomically: if <paramref name="jti"/> exists and has no <see cref="RefreshTokenRecord.NextJti"/>, set
    /// NextJti = <paramref name="next"/>.Jti and RotatedAt = <paramref name="next"/>.IssuedAt, and insert
    /// <paramref name="next"/>; return true. Otherwise change nothing and return false (a concurrent refresh won).
    /// </summary>
    bool TryRotate(string jti, RefreshTokenRecord next);

    /// <summary>Deletes every record of the chain (logout, or replay detected). Returns whether any existed.</summary>
    bool RevokeFamily(string familyId);

    /// <summary>Deletes every record of the account (password change, account deletion, takedown).</summary>
    void RevokeAllForDid(string did);

    /// <summary>Deletes the records of sessions opened with one app password (when it is revoked).</summary>
    void RevokeForAppPassword(string did, string appPasswordName);
}
