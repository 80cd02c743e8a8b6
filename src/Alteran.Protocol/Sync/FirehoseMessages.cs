namespace Alteran.Protocol.Sync;

// Decoded message bodies, as read by FirehoseFrame.Decode. Strings (including time) are kept as sent so a
// consumer sees exactly what the host emitted; byte fields are slices of the decoded frame (not copies).

/// <summary>A decoded <c>#commit</c> body.</summary>
public sealed class CommitMessage
{
    /// <summary>Stream sequence number.</summary>
    public long Seq { get; init; }
    /// <summary>Deprecated, always false from current hosts.</summary>
    public bool Rebase { get; init; }
    /// <summary>Deprecated, always false from current hosts.</summary>
    public bool TooBig { get; init; }
    /// <summary>The repository DID.</summary>
    public string Repo { get; init; } = "";
    /// <summary>The commit CID.</summary>
    public Cid Commit { get; init; }
    /// <summary>The commit's rev.</summary>
    public string Rev { get; init; } = "";
    /// <summary>The previous commit's rev, or null.</summary>
    public string? Since { get; init; }
    /// <summary>The CAR diff (a slice of the frame).</summary>
    public ReadOnlyMemory<byte> Blocks { get; init; }
    /// <summary>The ops.</summary>
    public RepoOpRef[] Ops { get; init; } = [];
    /// <summary>Deprecated blob list (empty from current hosts).</summary>
    public Cid[] Blobs { get; init; } = [];
    /// <summary>The previous commit's MST root, or empty if absent.</summary>
    public Cid PrevData { get; init; }
    /// <summary>The event time as sent.</summary>
    public string Time { get; init; } = "";
}

/// <summary>A decoded <c>#sync</c> body.</summary>
public sealed class SyncMessage
{
    /// <summary>Stream sequence number.</summary>
    public long Seq { get; init; }
    /// <summary>The account DID.</summary>
    public string Did { get; init; } = "";
    /// <summary>CAR holding the signed commit (a slice of the frame).</summary>
    public ReadOnlyMemory<byte> Blocks { get; init; }
    /// <summary>The commit's rev.</summary>
    public string Rev { get; init; } = "";
    /// <summary>The event time as sent.</summary>
    public string Time { get; init; } = "";
}

/// <summary>A decoded <c>#identity</c> body.</summary>
public sealed class IdentityMessage
{
    /// <summary>Stream sequence number.</summary>
    public long Seq { get; init; }
    /// <summary>The account DID.</summary>
    public string Did { get; init; } = "";
    /// <summary>The event time as sent.</summary>
    public string Time { get; init; } = "";
    /// <summary>The handle, or null if absent.</summary>
    public string? Handle { get; init; }
}

/// <summary>A decoded <c>#account</c> body.</summary>
public sealed class AccountMessage
{
    /// <summary>Stream sequence number.</summary>
    public long Seq { get; init; }
    /// <summary>The account DID.</summary>
    public string Did { get; init; } = "";
    /// <summary>The event time as sent.</summary>
    public string Time { get; init; } = "";
    /// <summary>Whether the host serves the repository.</summary>
    public bool Active { get; init; }
    /// <summary>Why not active, or null if absent.</summary>
    public string? Status { get; init; }
}

/// <summary>A decoded <c>#info</c> body.</summary>
public sealed class InfoMessage
{
    /// <summary>The info name, e.g. <c>OutdatedCursor</c>.</summary>
    public string Name { get; init; } = "";
    /// <summary>Description, or null if absent.</summary>
    public string? Message { get; init; }
}

/// <summary>A decoded error frame body.</summary>
public sealed class ErrorMessage
{
    /// <summary>The error name, e.g. <c>FutureCursor</c>.</summary>
    public string Error { get; init; } = "";
    /// <summary>Description, or null if absent.</summary>
    public string? Message { get; init; }
}
