using System.Buffers.Binary;
using Alteran.Protocol;
using Alteran.Storage.Rocks;

namespace Alteran.Storage.Blobs;

/// <summary>
/// Key and value layouts of the <c>blobs</c> column family (see STORAGE-LAYOUT.md, keep in sync):
/// <code>
/// row:   account(8) | 0x01 | cid(36)                         → size(8) | created unix ms(8) | mime (ASCII)
/// ref:   account(8) | 0x02 | cid(36) | collection | 0x00 | rkey → (empty)
/// usage: account(8) | 0x03                                   → total bytes of the account's blob rows(8)
/// </code>
/// A blob is "temporary" while it has no ref key and "permanent" once a record references it; the collector
/// deletes unreferenced rows (and their files) older than the grace period.
/// </summary>
internal static class BlobIndex
{
    public const byte RowTag = 0x01;
    public const byte RefTag = 0x02;
    public const byte UsageTag = 0x03;
    public const int RowKeyLength = KeyCodec.AccountIdLength + 1 + Cid.ByteLength;
    public const int MaxMimeLength = 255;

    public static int WriteRowKey(Span<byte> dest, long account, in Cid blob)
    {
        KeyCodec.WriteAccount(dest, account);
        dest[8] = RowTag;
        blob.WriteTo(dest.Slice(9, Cid.ByteLength));
        return RowKeyLength;
    }

    /// <summary>account | 0x02 | cid: the prefix of every reference to one blob.</summary>
    public static int WriteRefPrefix(Span<byte> dest, long account, in Cid blob)
    {
        KeyCodec.WriteAccount(dest, account);
        dest[8] = RefTag;
        blob.WriteTo(dest.Slice(9, Cid.ByteLength));
        return RowKeyLength;
    }

    public static int WriteRefKey(Span<byte> dest, long account, in Cid blob, string collection, string rkey)
    {
        int n = WriteRefPrefix(dest, account, blob);
        n += KeyCodec.WriteAscii(dest[n..], collection, KeyCodec.MaxCollectionLength, nameof(collection));
        dest[n++] = 0;
        return n + KeyCodec.WriteAscii(dest[n..], rkey, KeyCodec.MaxRkeyLength, nameof(rkey));
    }

    public static int WriteUsageKey(Span<byte> dest, long account)
    {
        KeyCodec.WriteAccount(dest, account);
        dest[8] = UsageTag;
        return 9;
    }

    public static int WriteRow(Span<byte> dest, long size, long createdMs, string mime)
    {
        BinaryPrimitives.WriteInt64BigEndian(dest, size);
        BinaryPrimitives.WriteInt64BigEndian(dest[8..], createdMs);
        return 16 + KeyCodec.WriteAscii(dest[16..], mime, MaxMimeLength, nameof(mime));
    }

    public static BlobInfo ReadRow(in Cid cid, ReadOnlySpan<byte> value)
    {
        if (value.Length < 17)
            throw new StorageException(StorageError.Corruption, "Bad blob row.");
        return new BlobInfo(cid, BinaryPrimitives.ReadInt64BigEndian(value), KeyCodec.ReadAscii(value[16..]),
            BinaryPrimitives.ReadInt64BigEndian(value[8..]));
    }

    /// <summary>Whether the row exists, as the writer sees it (this batch's changes, else durable).</summary>
    public static bool ExistsForWriter(WriteContext context, long account, in Cid blob)
    {
        if (context.BlobRows.TryGetValue((account, blob), out bool exists))
            return exists;
        Span<byte> key = stackalloc byte[RowKeyLength];
        WriteRowKey(key, account, blob);
        if (!context.Db.TryGetPinned(ColumnFamily.Blobs, key, out PinnedValue v))
            return false;
        v.Dispose();
        return true;
    }

    public static long UsageForWriter(WriteContext context, long account)
    {
        if (context.BlobUsage.TryGetValue(account, out long usage))
            return usage;
        return ReadUsage(context.Db, account);
    }

    public static long ReadUsage(RocksDb db, long account)
    {
        Span<byte> key = stackalloc byte[9];
        WriteUsageKey(key, account);
        if (!db.TryGetPinned(ColumnFamily.Blobs, key, out PinnedValue v))
            return 0;
        using (v)
            return BinaryPrimitives.ReadInt64BigEndian(v.Span);
    }

    /// <summary>True when any record references the blob (durable state; the caller adds this batch's refs).</summary>
    public static bool HasReferences(RocksDb db, long account, in Cid blob)
    {
        Span<byte> lower = stackalloc byte[RowKeyLength];
        Span<byte> upper = stackalloc byte[RowKeyLength];
        WriteRefPrefix(lower, account, blob);
        lower.CopyTo(upper);
        KeyCodec.TryPrefixSuccessor(upper, out int upperLength);
        using RocksIterator it = db.NewIterator(ColumnFamily.Blobs, lower, upper[..upperLength]);
        it.Seek(lower);
        bool found = it.Valid;
        it.ThrowIfError();
        return found;
    }
}

/// <summary>A stored blob: CID (raw codec), size in bytes, MIME type and upload time (unix ms).</summary>
public readonly record struct BlobInfo(Cid Cid, long Size, string MimeType, long CreatedAt);
