namespace Alteran.Storage;

/// <summary>Why a storage operation failed.</summary>
public enum StorageError
{
    /// <summary>An I/O error from the file system (includes a full disk, see <see cref="NoSpace"/>).</summary>
    IoError,
    /// <summary>The disk (or quota of the file system) is full.</summary>
    NoSpace,
    /// <summary>Stored data failed a checksum or could not be decoded.</summary>
    Corruption,
    /// <summary>The store was written by a newer schema version than this build understands.</summary>
    SchemaTooNew,
    /// <summary>A compare-and-swap precondition failed (repo root moved, DID or handle already taken).</summary>
    Conflict,
    /// <summary>A referenced account, blob or row does not exist.</summary>
    NotFound,
    /// <summary>A size limit or quota would be exceeded.</summary>
    QuotaExceeded,
    /// <summary>The store is closed or closing.</summary>
    Closed,
    /// <summary>Invalid argument passed to the engine or to the store.</summary>
    InvalidArgument,
    /// <summary>Anything else RocksDB reported.</summary>
    Other,
}

/// <summary>The one exception type Alteran.Storage throws for engine and store failures.</summary>
public sealed class StorageException : Exception
{
    /// <summary>Creates an exception for <paramref name="error"/>.</summary>
    public StorageException(StorageError error, string message, Exception? inner = null) : base(message, inner) => Error = error;

    /// <summary>The failure class, for mapping to an API error.</summary>
    public StorageError Error { get; }

    /// <summary>Maps a RocksDB status string ("IO error: No space left on device ...") to an exception.</summary>
    internal static StorageException FromRocks(string message)
    {
        StorageError error =
            message.Contains("No space left", StringComparison.OrdinalIgnoreCase) || message.Contains("NoSpace", StringComparison.Ordinal) ? StorageError.NoSpace :
            message.StartsWith("IO error", StringComparison.Ordinal) ? StorageError.IoError :
            message.StartsWith("Corruption", StringComparison.Ordinal) ? StorageError.Corruption :
            message.StartsWith("Invalid argument", StringComparison.Ordinal) ? StorageError.InvalidArgument :
            StorageError.Other;
        return new StorageException(error, "RocksDB: " + message);
    }
}
