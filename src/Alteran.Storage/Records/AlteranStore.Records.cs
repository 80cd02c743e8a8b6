using Alteran.Protocol;
using Alteran.Storage.Records;
using Alteran.Storage.Rocks;

namespace Alteran.Storage;

public sealed partial class AlteranStore
{
    /// <summary>Looks up the CID of record (collection, rkey) in the account's repo.</summary>
    public bool TryGetRecord(long account, string collection, string rkey, out Cid cid)
    {
        Span<byte> key = stackalloc byte[KeyCodec.MaxRecordKeyLength];
        int n = KeyCodec.WriteRecordKey(key, account, collection, rkey);
        if (!_db.TryGetPinned(ColumnFamily.Records, key[..n], out PinnedValue v))
        {
            cid = default;
            return false;
        }
        using (v)
        {
            if (!Cid.TryReadExact(v.Span, out cid))
                throw new StorageException(StorageError.Corruption, "Bad record CID.");
        }
        return true;
    }

    /// <summary>
    /// Lists a collection in rkey order, starting strictly after <paramref name="after"/> (a cursor) when given,
    /// at most <paramref name="limit"/> records (0 = all).
    /// </summary>
    public RecordCursor ListRecords(long account, string collection, string? after = null, bool descending = false, int limit = 0) =>
        new(_db, account, collection, after, descending, limit);

    /// <summary>How many records the account's index holds (checkAccountStatus <c>indexedRecords</c>): a range scan of
    /// the record index (keys and 36-byte values only, no record block is read).</summary>
    public long CountRecords(long account)
    {
        Span<byte> lower = stackalloc byte[KeyCodec.AccountIdLength];
        Span<byte> upper = stackalloc byte[KeyCodec.AccountIdLength];
        KeyCodec.WriteAccount(lower, account);
        KeyCodec.WriteAccount(upper, account + 1);
        return CountKeys(ColumnFamily.Records, lower, upper);
    }

    /// <summary>The account's collections (NSIDs that have at least one record), in order.</summary>
    public List<string> ListCollections(long account)
    {
        var result = new List<string>();
        Span<byte> lower = stackalloc byte[KeyCodec.AccountIdLength];
        Span<byte> upper = stackalloc byte[KeyCodec.AccountIdLength];
        KeyCodec.WriteAccount(lower, account);
        KeyCodec.WriteAccount(upper, account + 1);
        using RocksIterator it = _db.NewIterator(ColumnFamily.Records, lower, upper);
        Span<byte> next = stackalloc byte[KeyCodec.MaxRecordKeyLength];
        it.Seek(lower);
        // Skip-scan: read one key, then seek past "collection | 0x00 | *" to the next collection.
        for (int i = 0; it.Valid && i < 100_000; i++)
        {
            ReadOnlySpan<byte> key = it.Key;
            int end = key[KeyCodec.AccountIdLength..].IndexOf((byte)0);
            if (end < 0) throw new StorageException(StorageError.Corruption, "Bad record key.");
            ReadOnlySpan<byte> collection = key.Slice(KeyCodec.AccountIdLength, end);
            result.Add(KeyCodec.ReadAscii(collection));
            int n = KeyCodec.AccountIdLength + end;
            key[..n].CopyTo(next);
            next[n] = 1;
            it.Seek(next[..(n + 1)]);
        }
        it.ThrowIfError();
        return result;
    }
}
