namespace Alteran.Net.Auth;

/// <summary>What to do with a presented (signature- and time-valid) refresh token, given its stored record.</summary>
public enum RefreshDecision
{
    /// <summary>Unused token: issue the next pair and mark this one rotated.</summary>
    Rotate,
    /// <summary>Already rotated, within the grace period: hand out the same next pair again (client retry).</summary>
    Replay,
    /// <summary>Already rotated, after the grace period: treat as stolen and revoke the whole chain.</summary>
    RevokeChain,
    /// <summary>No record (never issued, revoked, or forgotten) or the record disagrees with the token.</summary>
    Reject,
}

/// <summary>The pure state transition behind refresh-token rotation; <see cref="SessionTokens"/> applies it to a store.</summary>
public static class RefreshRotation
{
    /// <summary>Decides the transition for a token with subject <paramref name="did"/> and its stored record.</summary>
    public static RefreshDecision Decide(RefreshTokenRecord? record, string did, long now, long graceSeconds)
    {
        if (record is null || record.Did != did || now >= record.ExpiresAt)
            return RefreshDecision.Reject;
        if (record.NextJti is null)
            return RefreshDecision.Rotate;
        long rotatedAt = record.RotatedAt ?? long.MinValue / 2;
        return now < rotatedAt + graceSeconds ? RefreshDecision.Replay : RefreshDecision.RevokeChain;
    }
}
