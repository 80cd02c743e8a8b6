namespace Alteran.Net.Repo;

/// <summary>Why a repo write was refused; each value maps to one XRPC error (see <see cref="RepoWriteException"/>).</summary>
public enum RepoWriteError
{
    /// <summary>The account has no repo (XRPC <c>RepoNotFound</c>).</summary>
    RepoNotFound,
    /// <summary><c>CreateRepoAsync</c> on an account that already has one (XRPC <c>InvalidRequest</c>).</summary>
    RepoAlreadyExists,
    /// <summary><c>swapCommit</c> or <c>swapRecord</c> did not match the current state (XRPC <c>InvalidSwap</c>).</summary>
    InvalidSwap,
    /// <summary>A create targets an existing record (XRPC <c>InvalidRequest</c>).</summary>
    RecordAlreadyExists,
    /// <summary>An update or delete targets a missing record (XRPC <c>InvalidRequest</c>).</summary>
    RecordNotFound,
    /// <summary>A record references a blob this account never uploaded (XRPC <c>InvalidRequest</c>, "Could not find blob").</summary>
    BlobNotFound,
    /// <summary>The writes themselves are malformed: two writes to one path, bad DAG-CBOR, too many writes (XRPC <c>InvalidRequest</c>).</summary>
    InvalidWrite,
    /// <summary>A record is over <see cref="RepoServiceOptions.MaxRecordBytes"/> (the sync spec's 1,000,000-byte block limit).</summary>
    RecordTooLarge,
    /// <summary>Another writer moved the repo root underneath us (should not happen with one service per store); retry.</summary>
    Conflict,
}

/// <summary>
/// A repo write the caller can fix (bad swap, missing record, bad record, unknown blob). Storage and I/O failures
/// are not wrapped: they surface as <c>StorageException</c> (an XRPC <c>InternalServerError</c>).
/// </summary>
public sealed class RepoWriteException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RepoWriteException(RepoWriteError error, string message, Exception? inner = null) : base(message, inner) => Error = error;

    /// <summary>The failure class.</summary>
    public RepoWriteError Error { get; }

    /// <summary>The XRPC error name this maps to (<c>InvalidSwap</c>, <c>RepoNotFound</c>, <c>InvalidRequest</c>).</summary>
    public string XrpcError => Error switch
    {
        RepoWriteError.InvalidSwap => "InvalidSwap",
        RepoWriteError.RepoNotFound => "RepoNotFound",
        _ => "InvalidRequest",
    };
}
