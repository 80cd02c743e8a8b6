using System.Buffers.Binary;
using Alteran.Protocol;
using Alteran.Storage;
using Alteran.Storage.Records;

namespace Alteran.Net.Repo;

/// <summary>
/// How many records of one repo point at each record CID, so a record block is deleted only when the last record
/// using it goes (two records with identical bytes share one block). Built from the record index on the first
/// update or delete after the repo state is loaded, then maintained per commit.
/// </summary>
/// <remarks>
/// Keyed by the first 8 bytes of the SHA-256 digest (8 bytes per entry instead of 36). A collision can only merge
/// two counts, which makes a block look still referenced: the failure mode is a kept block (left for the storage
/// sweep), never a deleted one that is still needed.
/// </remarks>
internal sealed class RecordRefCounts
{
    private readonly Dictionary<ulong, int> _counts;

    private RecordRefCounts(int capacity) => _counts = new Dictionary<ulong, int>(capacity);

    public int Count => _counts.Count;

    /// <summary>Scans the account's record index (bounded by <paramref name="maxRecords"/>).</summary>
    public static RecordRefCounts Build(AlteranStore store, long account, int maxRecords)
    {
        var counts = new RecordRefCounts(64);
        int seen = 0;
        foreach (string collection in store.ListCollections(account))
        {
            using RecordCursor cursor = store.ListRecords(account, collection);
            while (cursor.MoveNext())
            {
                if (++seen > maxRecords)
                    throw new InvalidOperationException($"Repo has more than {maxRecords} records.");
                counts.Increment(cursor.Cid);
            }
        }
        return counts;
    }

    private static ulong Key(in Cid cid) => BinaryPrimitives.ReadUInt64LittleEndian(cid.Digest);

    public void Increment(in Cid cid)
    {
        ref int n = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_counts, Key(cid), out _);
        n++;
    }

    /// <summary>Decrements; returns true when no record references the CID any more.</summary>
    public bool Decrement(in Cid cid)
    {
        ulong key = Key(cid);
        if (!_counts.TryGetValue(key, out int n) || n <= 1)
        {
            _counts.Remove(key);
            return true;
        }
        _counts[key] = n - 1;
        return false;
    }

    /// <summary>Current count (for tests).</summary>
    public int Get(in Cid cid) => _counts.TryGetValue(Key(cid), out int n) ? n : 0;
}
