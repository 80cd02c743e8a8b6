using System.Buffers.Binary;
using Alteran.Protocol;
using Alteran.Storage.Rocks;

namespace Alteran.Storage.Blobs;

/// <summary>
/// One incremental step of blob garbage collection: scans up to a bounded number of rows from a resume key and
/// deletes rows that no record references and that are older than the grace period; their files are deleted
/// after the batch is durable, on the writer thread (so a later upload of the same content re-creates the file).
/// </summary>
internal sealed class BlobCollectRequest(AlteranStore store, byte[] resumeFrom, int maxScan, long cutoffMs) : WriteRequest
{
    private readonly List<string> _files = new();

    /// <summary>The first key the next step looks at (empty = start again from the beginning).</summary>
    public byte[] Next { get; private set; } = [];

    public int Deleted => _files.Count;

    public override void Stage(WriteContext context)
    {
        Result = default;
        RocksDb db = context.Db;
        var doomed = new List<(long Account, Cid Cid, long Size)>();
        using (RocksIterator it = db.NewIterator(ColumnFamily.Blobs, default, default))
        {
            if (resumeFrom.Length == 0) it.SeekToFirst();
            else it.Seek(resumeFrom);
            int scanned = 0;
            for (; it.Valid && scanned < maxScan; it.Next(), scanned++)
            {
                ReadOnlySpan<byte> key = it.Key;
                if (key.Length != BlobIndex.RowKeyLength || key[8] != BlobIndex.RowTag)
                    continue;
                long account = KeyCodec.ReadAccount(key);
                Cid cid = Cid.Read(key[9..]);
                BlobInfo info = BlobIndex.ReadRow(cid, it.Value);
                if (info.CreatedAt > cutoffMs
                    || context.BlobsReferenced.Contains((account, cid))
                    || context.BlobRows.ContainsKey((account, cid))
                    || BlobIndex.HasReferences(db, account, cid))
                    continue;
                doomed.Add((account, cid, info.Size));
            }
            Next = it.Valid ? it.Key.ToArray() : [];
            it.ThrowIfError();
        }

        Span<byte> key2 = stackalloc byte[BlobIndex.RowKeyLength];
        Span<byte> value = stackalloc byte[8];
        var usage = new Dictionary<long, long>();
        foreach ((long account, Cid cid, long size) in doomed)
        {
            context.Delete(ColumnFamily.Blobs, key2[..BlobIndex.WriteRowKey(key2, account, cid)]);
            if (!usage.TryGetValue(account, out long u)) u = BlobIndex.UsageForWriter(context, account);
            usage[account] = Math.Max(0, u - size);
        }
        foreach ((long account, long u) in usage)
        {
            BinaryPrimitives.WriteInt64BigEndian(value, u);
            context.Put(ColumnFamily.Blobs, key2[..BlobIndex.WriteUsageKey(key2, account)], value);
        }
        foreach ((long account, long u) in usage) context.BlobUsage[account] = u;
        foreach ((long account, Cid cid, _) in doomed)
        {
            context.BlobRows[(account, cid)] = false;
            _files.Add(store.BlobPath(account, cid));
        }
    }

    public override void AfterDurable()
    {
        foreach (string f in _files)
            File.Delete(f);
    }
}
