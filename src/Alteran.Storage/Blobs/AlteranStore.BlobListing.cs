using System.Buffers.Binary;
using Alteran.Protocol;
using Alteran.Storage.Blobs;
using Alteran.Storage.Blocks;
using Alteran.Storage.Rocks;

namespace Alteran.Storage;

public sealed partial class AlteranStore
{
    /// <summary>
    /// Lists the blobs that records of the account reference (<c>com.atproto.sync.listBlobs</c>), in binary CID order,
    /// strictly after <paramref name="after"/> (empty = from the start), at most <paramref name="limit"/> CIDs, looking
    /// after looking at about <paramref name="maxScan"/> reference keys (checked between blobs). With <paramref name="sinceRev"/> (a TID) only blobs that a
    /// commit after that rev referenced: each reference key holds the rev of the commit that added it; references
    /// written before schema 2 hold none and are always included (a superset).
    /// </summary>
    public BlobPage ListBlobs(long account, string? sinceRev, Cid after, int limit, int maxScan = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxScan, 1);
        ulong? since = sinceRev is null ? null : BlockRevIndex.ParseRev(sinceRev, nameof(sinceRev));
        var cids = new List<Cid>(Math.Min(limit, 256));
        Span<byte> lower = stackalloc byte[BlobIndex.RowKeyLength];
        Span<byte> upper = stackalloc byte[9];
        Span<byte> seek = stackalloc byte[BlobIndex.RowKeyLength];
        KeyCodec.WriteAccount(lower, account);
        lower[8] = BlobIndex.RefTag;
        BlobIndex.WriteUsageKey(upper, account); // account | 0x03: just past every reference key
        int seekLength;
        if (after.IsEmpty)
        {
            seekLength = 9;
            lower[..9].CopyTo(seek);
        }
        else
        {
            BlobIndex.WriteRefPrefix(seek, account, after);
            KeyCodec.TryPrefixSuccessor(seek, out seekLength); // past every reference of `after`
        }

        Cid lastExamined = default;
        bool complete = true;
        using (RocksIterator it = _db.NewIterator(ColumnFamily.Blobs, lower[..9], upper))
        {
            it.Seek(seek[..seekLength]);
            int scanned = 0;
            while (it.Valid)
            {
                // The bounds are checked between blobs only, so every page makes progress and the cursor is exact.
                if (cids.Count == limit || scanned >= maxScan)
                {
                    complete = false;
                    break;
                }
                ReadOnlySpan<byte> key = it.Key;
                if (key.Length < BlobIndex.RowKeyLength || !Cid.TryReadExact(key.Slice(9, Cid.ByteLength), out Cid cid))
                    throw new StorageException(StorageError.Corruption, "Bad blob reference key.");
                BlobIndex.WriteRefPrefix(seek, account, cid);
                bool matches = false;
                do
                {
                    scanned++;
                    ReadOnlySpan<byte> value = it.Value;
                    matches = since is not ulong s || value.Length < BlockRevIndex.RevLength
                        || BinaryPrimitives.ReadUInt64BigEndian(value) > s;
                    if (matches) break;
                    it.Next(); // another reference of the same blob may be newer
                } while (it.Valid && it.Key.StartsWith(seek[..BlobIndex.RowKeyLength]));
                if (matches) cids.Add(cid);
                lastExamined = cid;
                KeyCodec.TryPrefixSuccessor(seek[..BlobIndex.RowKeyLength], out seekLength);
                it.Seek(seek[..seekLength]); // past the blob's other references
            }
            it.ThrowIfError();
        }
        return new BlobPage(cids, complete ? default : lastExamined);
    }

    /// <summary>How many distinct blobs records of the account reference (checkAccountStatus <c>expectedBlobs</c>).</summary>
    public long CountReferencedBlobs(long account)
    {
        Span<byte> lower = stackalloc byte[9];
        Span<byte> upper = stackalloc byte[9];
        Span<byte> seek = stackalloc byte[BlobIndex.RowKeyLength];
        KeyCodec.WriteAccount(lower, account);
        lower[8] = BlobIndex.RefTag;
        BlobIndex.WriteUsageKey(upper, account);
        long count = 0;
        using RocksIterator it = _db.NewIterator(ColumnFamily.Blobs, lower, upper);
        for (it.Seek(lower); it.Valid; count++)
        {
            it.Key[..BlobIndex.RowKeyLength].CopyTo(seek);
            KeyCodec.TryPrefixSuccessor(seek, out int n);
            it.Seek(seek[..n]); // skip-scan: one seek per blob, whatever its reference count
        }
        it.ThrowIfError();
        return count;
    }

    /// <summary>How many blobs the account has stored, referenced or not (checkAccountStatus <c>importedBlobs</c>).</summary>
    public long CountBlobs(long account)
    {
        Span<byte> lower = stackalloc byte[9];
        Span<byte> upper = stackalloc byte[9];
        KeyCodec.WriteAccount(lower, account);
        lower[8] = BlobIndex.RowTag;
        KeyCodec.WriteAccount(upper, account);
        upper[8] = BlobIndex.RefTag;
        return CountKeys(ColumnFamily.Blobs, lower, upper);
    }
}
