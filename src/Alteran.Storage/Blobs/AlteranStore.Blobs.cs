using System.Buffers;
using System.Security.Cryptography;
using Alteran.Protocol;
using Alteran.Storage.Blobs;
using Alteran.Storage.Rocks;

namespace Alteran.Storage;

// Blob store: content-addressed files, one directory per account (blobs/<account id>/<cid>), rows in cf blobs.
// Files rather than a RocksDB blob CF because blobs are large (up to ~100 MB video), written once, streamed out
// with sendfile-friendly FileStreams, and never compacted; RocksDB would rewrite them on every compaction (or,
// with BlobDB, still copy them through its own GC). Per-account directories keep quota, takedown and account
// deletion independent (no cross-account reference counting) at the cost of no cross-account deduplication.
public sealed partial class AlteranStore
{
    private byte[] _blobGcCursor = [];
    private readonly object _blobGcGate = new();

    internal string BlobDirectory(long account) =>
        Path.Combine(_blobRoot, account.ToString(System.Globalization.CultureInfo.InvariantCulture));

    internal string BlobPath(long account, in Cid cid) => Path.Combine(BlobDirectory(account), cid.ToString());

    /// <summary>
    /// Streams an upload to a temp file while hashing it, then stores it as a blob of <paramref name="account"/>
    /// (temporary until a commit references it with <see cref="Repos.PreparedCommit.AddBlobRef"/>). Fails with
    /// <see cref="StorageError.QuotaExceeded"/> past <paramref name="maxSize"/> or the account quota. Re-uploading
    /// the same bytes returns the existing blob.
    /// </summary>
    public async Task<BlobInfo> UploadBlobAsync(long account, Stream content, string mimeType, long maxSize, CancellationToken cancellationToken = default)
    {
        if (account <= 0) throw new ArgumentOutOfRangeException(nameof(account));
        if (mimeType.Length is 0 or > BlobIndex.MaxMimeLength) throw new ArgumentException("Bad MIME type.", nameof(mimeType));
        string temp = Path.Combine(_blobRoot, "tmp", Guid.NewGuid().ToString("N"));
        long size = 0;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    size += read;
                    if (size > maxSize)
                        throw new StorageException(StorageError.QuotaExceeded, $"Blob larger than {maxSize} bytes.");
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
                file.Flush(flushToDisk: true); // durable before its row can be
            }
            Span<byte> digest = stackalloc byte[32];
            hash.GetHashAndReset(digest);
            Cid cid = Cid.FromDigest(CidCodec.Raw, digest);
            var info = new BlobInfo(cid, size, mimeType, _options.UnixTimeMilliseconds());
            var request = new BlobPutRequest(account, info, temp, BlobPath(account, cid), _options.BlobQuotaBytes);
            await Enqueue(request).ConfigureAwait(false);
            if (request.Created)
                return info;
            return TryGetBlob(account, cid, out BlobInfo existing) ? existing : info;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads a blob's row.</summary>
    public bool TryGetBlob(long account, Cid cid, out BlobInfo info)
    {
        Span<byte> key = stackalloc byte[BlobIndex.RowKeyLength];
        BlobIndex.WriteRowKey(key, account, cid);
        if (!_db.TryGetPinned(ColumnFamily.Blobs, key, out PinnedValue v))
        {
            info = default;
            return false;
        }
        using (v)
            info = BlobIndex.ReadRow(cid, v.Span);
        return true;
    }

    /// <summary>Opens a blob's content for reading, or null when the account has no such blob.</summary>
    public FileStream? OpenBlob(long account, Cid cid)
    {
        if (!TryGetBlob(account, cid, out _))
            return null;
        try
        {
            return new FileStream(BlobPath(account, cid), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException e)
        {
            throw new StorageException(StorageError.Corruption, $"Blob {cid} has a row but no file.", e);
        }
    }

    /// <summary>True when at least one record of the account references the blob (it is permanent).</summary>
    public bool IsBlobReferenced(long account, Cid cid) => BlobIndex.HasReferences(_db, account, cid);

    /// <summary>Total bytes of the account's stored blobs (what the quota is checked against).</summary>
    public long GetBlobUsage(long account) => BlobIndex.ReadUsage(_db, account);

    /// <summary>
    /// One incremental step of blob GC: looks at up to <paramref name="maxScan"/> keys from where the previous step
    /// stopped and deletes blobs that no record references and that are older than
    /// <see cref="StoreOptions.BlobGracePeriod"/>. Returns how many were deleted. Call periodically.
    /// </summary>
    public async Task<int> CollectBlobsAsync(int maxScan = 1000)
    {
        byte[] resume;
        lock (_blobGcGate) resume = _blobGcCursor;
        long cutoff = _options.UnixTimeMilliseconds() - (long)_options.BlobGracePeriod.TotalMilliseconds;
        var request = new BlobCollectRequest(this, resume, Math.Max(1, maxScan), cutoff);
        await Enqueue(request).ConfigureAwait(false);
        lock (_blobGcGate) _blobGcCursor = request.Next;
        return request.Deleted;
    }
}
