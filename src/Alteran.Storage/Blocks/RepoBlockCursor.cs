using Alteran.Protocol;
using Alteran.Storage.Rocks;

namespace Alteran.Storage.Blocks;

/// <summary>
/// Streams every block of one account (CID order), for CAR export. Reads from a RocksDB snapshot taken at
/// creation, so a concurrent commit never shows up half-way through an export. <see cref="Data"/> points into
/// RocksDB's memory and is valid until the next <see cref="MoveNext"/>. A class (not a ref struct) so it can
/// live across awaits while the caller flushes a pipe.
/// </summary>
public sealed class RepoBlockCursor : IDisposable
{
    private readonly RocksDb _db;
    private readonly nint _snapshot;
    private readonly nint _handle;
    private readonly RocksIterator _it;
    private bool _started;

    internal RepoBlockCursor(RocksDb db, long account)
    {
        _db = db;
        _handle = db.Enter(); // lease held until Dispose
        _snapshot = RocksNative.rocksdb_create_snapshot(_handle);
        Span<byte> lower = stackalloc byte[KeyCodec.AccountIdLength];
        Span<byte> upper = stackalloc byte[KeyCodec.AccountIdLength];
        KeyCodec.WriteAccount(lower, account);
        KeyCodec.WriteAccount(upper, account + 1);
        _it = db.NewIterator(ColumnFamily.Blocks, lower, upper, _snapshot);
        _it.Seek(lower);
    }

    /// <summary>The current block's CID.</summary>
    public Cid Cid => Cid.TryReadExact(_it.Key[KeyCodec.AccountIdLength..], out Cid cid) ? cid
        : throw new StorageException(StorageError.Corruption, "Bad block key.");

    /// <summary>The current block's bytes.</summary>
    public ReadOnlySpan<byte> Data => _it.Value;

    /// <summary>Moves to the next block; false at the end.</summary>
    public bool MoveNext()
    {
        if (_started) _it.Next();
        _started = true;
        if (_it.Valid) return true;
        _it.ThrowIfError();
        return false;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _it.Dispose();
        RocksNative.rocksdb_release_snapshot(_handle, _snapshot);
        _db.Exit(); // the constructor's lease
    }

    private bool _disposed;
}
