using System.Buffers.Binary;
using Alteran.Protocol;
using Alteran.Storage.Rocks;

namespace Alteran.Storage.Blobs;

/// <summary>Moves an uploaded temp file into place and inserts its row, charging the account's quota.
/// Runs on the writer thread so it is ordered with the collector's file deletions.</summary>
internal sealed class BlobPutRequest(long account, BlobInfo info, string tempPath, string finalPath, long quota) : WriteRequest
{
    public bool Created { get; private set; }

    public override void Stage(WriteContext context)
    {
        Result = new WriteResult(0, account);
        if (BlobIndex.ExistsForWriter(context, account, info.Cid))
        {
            File.Delete(tempPath); // same content already stored
            return;
        }
        long usage = BlobIndex.UsageForWriter(context, account);
        if (quota > 0 && usage + info.Size > quota)
            throw new StorageException(StorageError.QuotaExceeded, $"Blob quota of {quota} bytes exceeded.");

        Span<byte> key = stackalloc byte[BlobIndex.RowKeyLength];
        Span<byte> row = stackalloc byte[16 + BlobIndex.MaxMimeLength];
        Span<byte> value = stackalloc byte[8];
        context.Put(ColumnFamily.Blobs, key[..BlobIndex.WriteRowKey(key, account, info.Cid)],
            row[..BlobIndex.WriteRow(row, info.Size, info.CreatedAt, info.MimeType)]);
        BinaryPrimitives.WriteInt64BigEndian(value, usage + info.Size);
        context.Put(ColumnFamily.Blobs, key[..BlobIndex.WriteUsageKey(key, account)], value);

        // The file is in place before its row can become visible; if the batch then fails, the file is an
        // orphan with identical content that a retry simply overwrites.
        Directory.CreateDirectory(Path.GetDirectoryName(finalPath)!);
        File.Move(tempPath, finalPath, overwrite: true);

        context.BlobUsage[account] = usage + info.Size;
        context.BlobRows[(account, info.Cid)] = true;
        Created = true;
    }
}
