using System.Text.Json.Serialization;
using Alteran.Net.Auth;

namespace Alteran.Net.Pds;

/// <summary>Source-generated JSON for the PDS's own routes (lexicon shapes, camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(RefreshTokenRecord))]
[JsonSerializable(typeof(List<FamilyEntry>))]
[JsonSerializable(typeof(List<StoredAppPassword>))]
[JsonSerializable(typeof(PdsSecrets))]
[JsonSerializable(typeof(CreateSessionInput))]
[JsonSerializable(typeof(SessionOutput))]
[JsonSerializable(typeof(DescribeServerOutput))]
[JsonSerializable(typeof(CreateAppPasswordInput))]
[JsonSerializable(typeof(AppPasswordCreated))]
[JsonSerializable(typeof(ListAppPasswordsOutput))]
[JsonSerializable(typeof(RevokeAppPasswordInput))]
[JsonSerializable(typeof(CheckAccountStatusOutput))]
[JsonSerializable(typeof(TokenOutput))]
[JsonSerializable(typeof(DidOutput))]
[JsonSerializable(typeof(UpdateHandleInput))]
[JsonSerializable(typeof(DidDocument))]
internal sealed partial class PdsJsonContext : JsonSerializerContext;

/// <summary>An app password as stored (hash only).</summary>
public sealed record StoredAppPassword(string Name, string PasswordHash, bool Privileged, DateTimeOffset CreatedAt);

/// <summary>com.atproto.server.createSession input.</summary>
public sealed class CreateSessionInput
{
    /// <summary>Handle, DID or email.</summary>
    public string? Identifier { get; set; }
    /// <summary>Password or app password.</summary>
    public string? Password { get; set; }
    /// <summary>Email 2FA token (not supported: no email).</summary>
    public string? AuthFactorToken { get; set; }
    /// <summary>Allow a takendown account to log in.</summary>
    public bool? AllowTakendown { get; set; }
}

/// <summary>Output of createSession / refreshSession / getSession (token fields null for getSession).</summary>
public sealed class SessionOutput
{
    /// <summary>Access JWT.</summary>
    public string? AccessJwt { get; set; }
    /// <summary>Refresh JWT.</summary>
    public string? RefreshJwt { get; set; }
    /// <summary>Handle.</summary>
    public required string Handle { get; set; }
    /// <summary>DID.</summary>
    public required string Did { get; set; }
    /// <summary>The DID document.</summary>
    public DidDocument? DidDoc { get; set; }
    /// <summary>Email, if stored.</summary>
    public string? Email { get; set; }
    /// <summary>Email confirmed.</summary>
    public bool? EmailConfirmed { get; set; }
    /// <summary>Active.</summary>
    public bool? Active { get; set; }
    /// <summary>Status when not active.</summary>
    public string? Status { get; set; }
}

/// <summary>com.atproto.server.describeServer output.</summary>
public sealed class DescribeServerOutput
{
    /// <summary>Invite codes required.</summary>
    public bool InviteCodeRequired { get; set; }
    /// <summary>Phone verification required.</summary>
    public bool PhoneVerificationRequired { get; set; }
    /// <summary>Handle suffixes offered to new accounts.</summary>
    public required string[] AvailableUserDomains { get; set; }
    /// <summary>This server's DID.</summary>
    public required string Did { get; set; }
}

/// <summary>createAppPassword input.</summary>
public sealed class CreateAppPasswordInput
{
    /// <summary>Name.</summary>
    public string? Name { get; set; }
    /// <summary>Privileged (chat access).</summary>
    public bool? Privileged { get; set; }
}

/// <summary>createAppPassword output (#appPassword) and listAppPasswords item (#appPassword without password).</summary>
public sealed class AppPasswordCreated
{
    /// <summary>Name.</summary>
    public required string Name { get; set; }
    /// <summary>The password (only when created).</summary>
    public string? Password { get; set; }
    /// <summary>Creation time.</summary>
    public required string CreatedAt { get; set; }
    /// <summary>Privileged.</summary>
    public bool? Privileged { get; set; }
}

/// <summary>listAppPasswords output.</summary>
public sealed class ListAppPasswordsOutput
{
    /// <summary>The passwords (names only).</summary>
    public required List<AppPasswordCreated> Passwords { get; set; }
}

/// <summary>revokeAppPassword input.</summary>
public sealed class RevokeAppPasswordInput
{
    /// <summary>Name.</summary>
    public string? Name { get; set; }
}

/// <summary>checkAccountStatus output.</summary>
public sealed class CheckAccountStatusOutput
{
    /// <summary>Activated.</summary>
    public bool Activated { get; set; }
    /// <summary>DID resolves to this PDS.</summary>
    public bool ValidDid { get; set; }
    /// <summary>Head commit CID.</summary>
    public required string RepoCommit { get; set; }
    /// <summary>Head rev.</summary>
    public required string RepoRev { get; set; }
    /// <summary>Blocks.</summary>
    public long RepoBlocks { get; set; }
    /// <summary>Records.</summary>
    public long IndexedRecords { get; set; }
    /// <summary>Private state values.</summary>
    public long PrivateStateValues { get; set; }
    /// <summary>Expected blobs.</summary>
    public long ExpectedBlobs { get; set; }
    /// <summary>Imported blobs.</summary>
    public long ImportedBlobs { get; set; }
}

/// <summary>getServiceAuth output.</summary>
public sealed record TokenOutput(string Token);

/// <summary>resolveHandle output.</summary>
public sealed record DidOutput(string Did);

/// <summary>updateHandle input.</summary>
public sealed class UpdateHandleInput
{
    /// <summary>The new handle.</summary>
    public string? Handle { get; set; }
}

/// <summary>A did:web DID document.</summary>
public sealed class DidDocument
{
    /// <summary>JSON-LD contexts.</summary>
    [JsonPropertyName("@context")]
    public required string[] Context { get; set; }
    /// <summary>The DID.</summary>
    public required string Id { get; set; }
    /// <summary>at://handle.</summary>
    public required string[] AlsoKnownAs { get; set; }
    /// <summary>The #atproto signing key.</summary>
    public required DidVerificationMethod[] VerificationMethod { get; set; }
    /// <summary>The #atproto_pds service.</summary>
    public required DidService[] Service { get; set; }
}

/// <summary>A Multikey verification method.</summary>
public sealed record DidVerificationMethod(string Id, string Type, string Controller, string PublicKeyMultibase);

/// <summary>A DID service entry.</summary>
public sealed record DidService(string Id, string Type, string ServiceEndpoint);
