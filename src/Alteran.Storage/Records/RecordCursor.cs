using Alteran.Protocol;
using Alteran.Storage.Rocks;

namespace Alteran.Storage.Records;

/// <summary>
/// Walks one collection's record index in rkey order (ascending or descending), starting after a cursor rkey.
/// <see cref="Rkey"/> is a span into RocksDB's iterator, valid until the next <see cref="MoveNext"/>.
/// No allocation per record. Dispose to release the native iterator.
/// </summary>
public sealed class RecordCursor : IDisposable
{
    private readonly RocksIterator _it;
    private readonly int _prefixLength;
    private readonly bool _descending;
    private readonly int _limit;
    private int _returned;
    private bool _started;
    private readonly byte[]? _start;

    internal RecordCursor(RocksDb db, long account, string collection, string? after, bool descending, int limit)
    {
        Span<byte> lower = stackalloc byte[KeyCodec.MaxRecordKeyLength];
        _prefixLength = KeyCodec.WriteCollectionPrefix(lower, account, collection);
        Span<byte> upper = stackalloc byte[_prefixLength];
        lower[.._prefixLength].CopyTo(upper);
        upper[_prefixLength - 1] = 1; // collection | 0x01: just past every "collection | 0x00 | rkey"
        _it = db.NewIterator(ColumnFamily.Records, lower[.._prefixLength], upper);
        _descending = descending;
        _limit = limit <= 0 ? int.MaxValue : limit;
        if (after is not null)
        {
            int n = _prefixLength + KeyCodec.WriteAscii(lower[_prefixLength..], after, KeyCodec.MaxRkeyLength, nameof(after));
            _start = lower[..n].ToArray();
        }
    }

    /// <summary>The current record key (ASCII bytes).</summary>
    public ReadOnlySpan<byte> Rkey => _it.Key[_prefixLength..];

    /// <summary>The current record key as a string (allocates).</summary>
    public string RkeyString => KeyCodec.ReadAscii(Rkey);

    /// <summary>The current record's CID.</summary>
    public Cid Cid => Cid.TryReadExact(_it.Value, out Cid cid) ? cid : throw new StorageException(StorageError.Corruption, "Bad record CID.");

    /// <summary>Moves to the next record; false at the end of the collection or after <c>limit</c> records.</summary>
    public bool MoveNext()
    {
        if (_returned >= _limit)
            return false;
        if (!_started)
        {
            _started = true;
            if (_start is null)
            {
                if (_descending) _it.SeekToLast(); else _it.SeekToFirst();
            }
            else if (_descending)
            {
                _it.SeekForPrev(_start);
                if (_it.Valid && _it.Key.SequenceEqual(_start)) _it.Prev();
            }
            else
            {
                _it.Seek(_start);
                if (_it.Valid && _it.Key.SequenceEqual(_start)) _it.Next();
            }
        }
        else if (_descending) _it.Prev();
        else _it.Next();

        if (_it.Valid)
        {
            _returned++;
            return true;
        }
        _it.ThrowIfError();
        return false;
    }

    /// <inheritdoc/>
    public void Dispose() => _it.Dispose();
}
