namespace Alteran.Net.Auth;

/// <summary>
/// What the store keeps per refresh token (keyed by <see cref="Jti"/>). A login starts a chain ("family"); every
/// refresh adds the next record to the same family and marks the used one rotated. Used records are kept until
/// <see cref="ExpiresAt"/> so a late replay is recognised as theft rather than as an unknown token.
/// </summary>
public sealed record RefreshTokenRecord
{
    /// <summary>The token id (<c>jti</c>): 32 random bytes, base64url.</summary>
    public required string Jti { get; init; }
    /// <summary>The chain this token belongs to: the jti of the chain's first token.</summary>
    public required string FamilyId { get; init; }
    /// <summary>The account DID (<c>sub</c>).</summary>
    public required string Did { get; init; }
    /// <summary>The scope the access tokens of this chain carry (<see cref="AuthScope"/>).</summary>
    public required string AccessScope { get; init; }
    /// <summary>The app password the session was opened with, or null for the account password.</summary>
    public string? AppPasswordName { get; init; }
    /// <summary>Unix seconds the token was issued (its <c>iat</c>; also the <c>iat</c> of its access token).</summary>
    public required long IssuedAt { get; init; }
    /// <summary>Unix seconds the token expires (its <c>exp</c>). The store may forget the record after this.</summary>
    public required long ExpiresAt { get; init; }
    /// <summary>The jti of the token this one was exchanged for, or null while it is unused.</summary>
    public string? NextJti { get; init; }
    /// <summary>Unix seconds of the exchange; the replay grace period starts here.</summary>
    public long? RotatedAt { get; init; }
}
