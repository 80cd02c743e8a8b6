using Alteran.Protocol;
using Alteran.Storage.Rocks;

namespace Alteran.Storage.Blocks;

/// <summary>
/// Streams blocks of one account, for CAR export: every block (CID order, one scan of <c>blocks</c>), or only those
/// written after a rev (the head commit block first when it is among them, then a reverse scan of <c>block_revs</c>,
/// newest rev first, each block read by key). Reads
/// from a RocksDB snapshot taken at creation, so a concurrent commit never shows up half-way through an export.
/// <see cref="Data"/> points into RocksDB's memory and is valid until the next <see cref="MoveNext"/>. A class (not a
/// ref struct) so it can live across awaits while the caller flushes a pipe.
/// </summary>
public sealed class RepoBlockCursor : IDisposable
{
    private readonly RocksDb _db;
    private readonly nint _snapshot;
    private readonly nint _handle;
    private readonly nint _readOptions; // since mode only: point reads from the snapshot
    private readonly RocksIterator _it;
    private readonly long _account;
    private readonly bool _byRev; // iterating block_revs (since) rather than blocks
    private PinnedValue _current;
    private Cid _currentCid;
    private Cid _first; // since mode: the head commit, emitted first and skipped in the scan
    private bool _firstPending;
    private bool _started;
    private bool _disposed;

    internal RepoBlockCursor(RocksDb db, long account, ulong? sinceRev)
    {
        _db = db;
        _account = account;
        _handle = db.Enter(); // lease held until Dispose
        _snapshot = RocksNative.rocksdb_create_snapshot(_handle);
        if (sinceRev is not null)
        {
            _readOptions = RocksNative.rocksdb_readoptions_create();
            RocksNative.rocksdb_readoptions_set_snapshot(_readOptions, _snapshot);
        }
        Span<byte> lower = stackalloc byte[BlockRevIndex.KeyLength];
        Span<byte> upper = stackalloc byte[KeyCodec.AccountIdLength];
        KeyCodec.WriteAccount(upper, account + 1);
        try
        {
            if (sinceRev is ulong since && since != ulong.MaxValue && !AllNewerThan(db, account, since, upper))
            {
                _byRev = true;
                // Everything with rev > since: [account | since+1, account+1), read backwards (newest first).
                int n = BlockRevIndex.WriteRevPrefix(lower, account, since + 1);
                _it = db.NewIterator(ColumnFamily.BlockRevs, lower[..n], upper, _snapshot);
                _it.SeekToLast();
                FindHeadCommit(account, since);
            }
            else if (sinceRev == ulong.MaxValue)
            {
                // Nothing can be newer than the largest rev: an empty range.
                _byRev = true;
                _it = db.NewIterator(ColumnFamily.BlockRevs, upper, upper, _snapshot);
                _it.SeekToLast();
            }
            else
            {
                KeyCodec.WriteAccount(lower, account);
                _it = db.NewIterator(ColumnFamily.Blocks, lower[..KeyCodec.AccountIdLength], upper, _snapshot);
                _it.Seek(lower[..KeyCodec.AccountIdLength]);
            }
        }
        catch
        {
            if (_readOptions != 0) RocksNative.rocksdb_readoptions_destroy(_readOptions);
            RocksNative.rocksdb_release_snapshot(_handle, _snapshot);
            db.Exit();
            throw;
        }
    }

    // The head commit (as of the snapshot) leads the diff when it was written after `since`, so a consumer meets the
    // CAR root first.
    private void FindHeadCommit(long account, ulong since)
    {
        Span<byte> key = stackalloc byte[KeyCodec.BlockKeyLength];
        KeyCodec.WriteAccount(key, account);
        if (!_db.TryGetPinned(ColumnFamily.RepoRoots, key[..KeyCodec.AccountIdLength], out PinnedValue rootValue, _readOptions))
            return;
        using (rootValue)
            _first = Repos.RepoRootCodec.Read(rootValue.Span).Commit;
        KeyCodec.WriteBlockKey(key, account, _first);
        if (!_db.TryGetPinned(ColumnFamily.Blocks, key, out PinnedValue block, _readOptions))
            return;
        using (block)
            _firstPending = BlockRevIndex.ReadValueRev(block.Span) > since;
        if (!_firstPending)
            _first = default;
    }

    // True when the account's oldest indexed rev is after `since`: the diff is the whole repo, and the sequential
    // scan of `blocks` is much faster than a point read per index key.
    private bool AllNewerThan(RocksDb db, long account, ulong since, ReadOnlySpan<byte> upper)
    {
        Span<byte> lower = stackalloc byte[KeyCodec.AccountIdLength];
        KeyCodec.WriteAccount(lower, account);
        using RocksIterator first = db.NewIterator(ColumnFamily.BlockRevs, lower, upper, _snapshot);
        first.Seek(lower);
        if (!first.Valid)
        {
            first.ThrowIfError();
            return true; // no blocks at all
        }
        return BlockRevIndex.ReadKeyRev(first.Key) > since;
    }

    /// <summary>The current block's CID.</summary>
    public Cid Cid => _byRev ? _currentCid
        : Cid.TryReadExact(_it.Key[KeyCodec.AccountIdLength..], out Cid cid) ? cid
        : throw new StorageException(StorageError.Corruption, "Bad block key.");

    /// <summary>The current block's bytes.</summary>
    public ReadOnlySpan<byte> Data => BlockRevIndex.Data(_byRev ? _current.Span : _it.Value);

    /// <summary>Moves to the next block; false at the end.</summary>
    public bool MoveNext()
    {
        if (!_byRev)
        {
            if (_started) _it.Next();
            _started = true;
            if (_it.Valid) return true;
            _it.ThrowIfError();
            return false;
        }

        _current.Dispose();
        _current = default;
        if (_firstPending)
        {
            _firstPending = false;
            _currentCid = _first;
        }
        else
        {
            if (_started) _it.Prev();
            _started = true;
            if (_it.Valid && !_first.IsEmpty && BlockRevIndex.ReadKeyCid(_it.Key) == _first)
                _it.Prev(); // already emitted first
            if (!_it.Valid)
            {
                _it.ThrowIfError();
                return false;
            }
            _currentCid = BlockRevIndex.ReadKeyCid(_it.Key);
        }
        Span<byte> key = stackalloc byte[KeyCodec.BlockKeyLength];
        KeyCodec.WriteBlockKey(key, _account, _currentCid);
        // Same snapshot as the index: every index key has its block (both are written and deleted together).
        if (!_db.TryGetPinned(ColumnFamily.Blocks, key, out _current, _readOptions))
            throw new StorageException(StorageError.Corruption, $"Indexed block {_currentCid} is missing.");
        return true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _current.Dispose();
        _it.Dispose();
        if (_readOptions != 0) RocksNative.rocksdb_readoptions_destroy(_readOptions);
        RocksNative.rocksdb_release_snapshot(_handle, _snapshot);
        _db.Exit(); // the constructor's lease
    }
}
