using System.Runtime.InteropServices;

namespace Alteran.Storage.Rocks;

/// <summary>
/// A RocksDB iterator confined to <c>[lowerBound, upperBound)</c>. The bounds are copied to native memory because
/// RocksDB keeps pointers to them for the iterator's lifetime. Key and value spans are valid until the next move.
/// Not thread-safe; dispose exactly once.
/// </summary>
internal sealed unsafe class RocksIterator : IDisposable
{
    private readonly RocksDb _db;
    private nint _it;
    private nint _readOptions;
    private byte* _bounds;
    private readonly int _lowerLength;
    private readonly int _upperLength;

    public RocksIterator(RocksDb db, ColumnFamily cf, ReadOnlySpan<byte> lowerBound, ReadOnlySpan<byte> upperBound, nint snapshot)
    {
        _db = db;
        nint handle = db.Enter(); // held until Dispose: the database cannot close under an open iterator
        _lowerLength = lowerBound.Length;
        _upperLength = upperBound.Length;
        _bounds = (byte*)NativeMemory.Alloc((nuint)Math.Max(1, _lowerLength + _upperLength));
        lowerBound.CopyTo(new Span<byte>(_bounds, _lowerLength));
        upperBound.CopyTo(new Span<byte>(_bounds + _lowerLength, _upperLength));
        _readOptions = RocksNative.rocksdb_readoptions_create();
        if (_lowerLength > 0)
            RocksNative.rocksdb_readoptions_set_iterate_lower_bound(_readOptions, _bounds, (nuint)_lowerLength);
        if (_upperLength > 0)
            RocksNative.rocksdb_readoptions_set_iterate_upper_bound(_readOptions, _bounds + _lowerLength, (nuint)_upperLength);
        // Bounds give the range; total-order seek keeps SeekForPrev/SeekToLast correct across prefix boundaries.
        RocksNative.rocksdb_readoptions_set_total_order_seek(_readOptions, 1);
        if (snapshot != 0)
            RocksNative.rocksdb_readoptions_set_snapshot(_readOptions, snapshot);
        _it = RocksNative.rocksdb_create_iterator_cf(handle, _readOptions, db.Cf(cf));
    }

    public bool Valid => RocksNative.rocksdb_iter_valid(_it) != 0;

    public void SeekToFirst() => RocksNative.rocksdb_iter_seek_to_first(_it);

    public void SeekToLast() => RocksNative.rocksdb_iter_seek_to_last(_it);

    public void Seek(ReadOnlySpan<byte> key)
    {
        fixed (byte* k = key) RocksNative.rocksdb_iter_seek(_it, k, (nuint)key.Length);
    }

    public void SeekForPrev(ReadOnlySpan<byte> key)
    {
        fixed (byte* k = key) RocksNative.rocksdb_iter_seek_for_prev(_it, k, (nuint)key.Length);
    }

    public void Next() => RocksNative.rocksdb_iter_next(_it);

    public void Prev() => RocksNative.rocksdb_iter_prev(_it);

    public ReadOnlySpan<byte> Key
    {
        get
        {
            nuint len;
            byte* p = RocksNative.rocksdb_iter_key(_it, &len);
            return new ReadOnlySpan<byte>(p, (int)len);
        }
    }

    public ReadOnlySpan<byte> Value
    {
        get
        {
            nuint len;
            byte* p = RocksNative.rocksdb_iter_value(_it, &len);
            return new ReadOnlySpan<byte>(p, checked((int)len));
        }
    }

    /// <summary>Throws if the iterator stopped because of an error rather than the end of the range.</summary>
    public void ThrowIfError()
    {
        byte* err = null;
        RocksNative.rocksdb_iter_get_error(_it, &err);
        RocksDb.ThrowIfError(err);
    }

    public void Dispose()
    {
        if (_it == 0)
            return;
        RocksNative.rocksdb_iter_destroy(_it);
        _it = 0;
        RocksNative.rocksdb_readoptions_destroy(_readOptions);
        _readOptions = 0;
        NativeMemory.Free(_bounds);
        _bounds = null;
        _db.Exit();
    }
}
