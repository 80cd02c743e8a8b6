using System.Buffers.Binary;
using Alteran.Protocol;
using Alteran.Storage.Log;

namespace Alteran.Storage.Rocks;

/// <summary>
/// Writer-thread state for one group batch: the native write batch, the seq counter, and overlays of values that
/// earlier requests in the same (not yet written) batch changed, so later requests' checks see them.
/// Used by one thread only.
/// </summary>
internal sealed unsafe class WriteContext : IDisposable
{
    /// <summary>Event-log value header: unix ms (8) | account id (8).</summary>
    public const int EventHeaderLength = 16;

    private readonly RocksDb _db;
    private readonly EventBuffer _scratchEvent = new(16 * 1024);
    private long _seq;
    private long _nextAccountId;

    public WriteContext(RocksDb db, long lastSeq, long nextAccountId, Func<long> clock)
    {
        _db = db;
        _seq = lastSeq;
        _nextAccountId = nextAccountId;
        Clock = clock;
        Batch = RocksNative.rocksdb_writebatch_create();
    }

    public nint Batch { get; }

    public RocksDb Db => _db;

    public Func<long> Clock { get; }

    /// <summary>Last seq assigned (including the unwritten batch).</summary>
    public long Seq => _seq;

    public long NextAccountIdValue => _nextAccountId;

    public bool MetaDirty { get; private set; }

    /// <summary>Repo roots changed earlier in this batch (account → commit CID).</summary>
    public readonly Dictionary<long, Cid> Roots = new();

    /// <summary>DID/handle index keys claimed (value = account id, or -1 for "freed") earlier in this batch.</summary>
    public readonly Dictionary<string, long> AccountIndex = new(StringComparer.Ordinal);

    /// <summary>Encoded account rows written (or deleted: null) earlier in this batch.</summary>
    public readonly Dictionary<long, byte[]?> AccountRows = new();

    /// <summary>Blob usage per account as changed earlier in this batch.</summary>
    public readonly Dictionary<long, long> BlobUsage = new();

    /// <summary>Blob rows created (true) or deleted (false) earlier in this batch.</summary>
    public readonly Dictionary<(long Account, Cid Blob), bool> BlobRows = new();

    /// <summary>Blocks written (the rev they were written under) or deleted (null) earlier in this batch.</summary>
    public readonly Dictionary<(long Account, Cid Block), ulong?> Blocks = new();

    /// <summary>Blobs given a new reference earlier in this batch (the collector must keep them).</summary>
    public readonly HashSet<(long Account, Cid Blob)> BlobsReferenced = new();

    public long AllocateAccountId()
    {
        MetaDirty = true;
        return _nextAccountId++;
    }

    // ---------------------------------------------------------------- batch operations

    public void Put(ColumnFamily cf, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        fixed (byte* k = key)
        fixed (byte* v = value)
            RocksNative.rocksdb_writebatch_put_cf(Batch, _db.Cf(cf), k, (nuint)key.Length, v, (nuint)value.Length);
    }

    /// <summary>Puts <paramref name="prefix"/> + <paramref name="value"/> as one value without concatenating them first.</summary>
    public void Put(ColumnFamily cf, ReadOnlySpan<byte> key, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> value)
    {
        fixed (byte* k = key)
        fixed (byte* p = prefix)
        fixed (byte* v = value)
        {
            byte** values = stackalloc byte*[2];
            nuint* sizes = stackalloc nuint[2];
            values[0] = p;
            values[1] = v;
            sizes[0] = (nuint)prefix.Length;
            sizes[1] = (nuint)value.Length;
            byte* keyPtr = k;
            nuint keySize = (nuint)key.Length;
            RocksNative.rocksdb_writebatch_putv_cf(Batch, _db.Cf(cf), 1, &keyPtr, &keySize, 2, values, sizes);
        }
    }

    public void Delete(ColumnFamily cf, ReadOnlySpan<byte> key)
    {
        fixed (byte* k = key)
            RocksNative.rocksdb_writebatch_delete_cf(Batch, _db.Cf(cf), k, (nuint)key.Length);
    }

    public void DeleteRange(ColumnFamily cf, ReadOnlySpan<byte> start, ReadOnlySpan<byte> end)
    {
        fixed (byte* s = start)
        fixed (byte* e = end)
            RocksNative.rocksdb_writebatch_delete_range_cf(Batch, _db.Cf(cf), s, (nuint)start.Length, e, (nuint)end.Length);
    }

    /// <summary>
    /// Assigns the next seq, lets <paramref name="encoder"/> write the event, and stages it in the event log.
    /// The seq is only consumed if the request commits (see <see cref="Mark"/>/<see cref="Rollback"/>).
    /// </summary>
    public long AppendEvent(long accountId, IEventEncoder encoder, EventBuffer? output)
    {
        long seq = _seq + 1;
        EventBuffer buffer = output ?? _scratchEvent;
        Span<byte> header = buffer.ResetWithHeader(EventHeaderLength);
        BinaryPrimitives.WriteInt64BigEndian(header, Clock());
        BinaryPrimitives.WriteInt64BigEndian(header[8..], accountId);
        encoder.Encode(seq, buffer);
        Span<byte> key = stackalloc byte[KeyCodec.SeqLength];
        KeyCodec.WriteSeq(key, seq);
        Put(ColumnFamily.Events, key, buffer.WrittenSpan);
        _seq = seq;
        return seq;
    }

    // ---------------------------------------------------------------- per-request save points

    private long _markSeq;
    private long _markAccountId;

    public void Mark()
    {
        _markSeq = _seq;
        _markAccountId = _nextAccountId;
        RocksNative.rocksdb_writebatch_set_save_point(Batch);
    }

    public void Accept()
    {
        byte* err = null;
        RocksNative.rocksdb_writebatch_pop_save_point(Batch, &err);
        RocksDb.ThrowIfError(err);
    }

    public void Rollback()
    {
        byte* err = null;
        RocksNative.rocksdb_writebatch_rollback_to_save_point(Batch, &err);
        RocksDb.ThrowIfError(err);
        _seq = _markSeq;
        _nextAccountId = _markAccountId;
    }

    /// <summary>Starts a new group: empty batch and overlays, counters from the last durable state.</summary>
    public void Reset(long durableSeq, long durableNextAccountId)
    {
        RocksNative.rocksdb_writebatch_clear(Batch);
        Roots.Clear();
        AccountIndex.Clear();
        AccountRows.Clear();
        BlobUsage.Clear();
        BlobRows.Clear();
        BlobsReferenced.Clear();
        Blocks.Clear();
        _seq = durableSeq;
        _nextAccountId = durableNextAccountId;
        MetaDirty = false;
    }

    public void Dispose()
    {
        RocksNative.rocksdb_writebatch_destroy(Batch);
        _scratchEvent.Dispose();
    }
}
