using Alteran.Protocol;
using Alteran.Storage.Log;

namespace Alteran.Storage.Repos;

/// <summary>A record index change: <see cref="Cid"/> empty means delete.</summary>
public readonly record struct RecordWrite(string Collection, string Rkey, Cid Cid)
{
    /// <summary>True when this removes the record from the index.</summary>
    public bool IsDelete => Cid.IsEmpty;
}

/// <summary>A change to the references from records to a blob (the blob stays alive while referenced).</summary>
public readonly record struct BlobRefWrite(Cid Blob, string Collection, string Rkey, bool Add);

/// <summary>
/// Everything one repo commit changes, filled by the PDS layer (MST + commit builder) and applied by
/// <see cref="AlteranStore.ApplyCommitAsync"/> in one atomic, synced write batch together with its event-log
/// entry. Reusable: <see cref="Reset"/> keeps the list capacity. Block bytes are referenced, not copied, until the
/// returned task completes, so the caller must keep them unchanged until then.
/// </summary>
public sealed class PreparedCommit
{
    internal readonly List<(Cid Cid, ReadOnlyMemory<byte> Bytes)> NewBlocks = new();
    internal readonly List<Cid> RemovedBlocks = new();
    internal readonly List<RecordWrite> Records = new();
    internal readonly List<BlobRefWrite> BlobRefs = new();

    /// <summary>The repo's compact account id (from <see cref="AlteranStore.CreateAccountAsync"/>).</summary>
    public long AccountId { get; set; }

    /// <summary>CID of the new signed commit block (must also be among the new blocks).</summary>
    public Cid Commit { get; set; }

    /// <summary>The new commit's rev: must be a TID (the store indexes the commit's blocks by it; anything else fails
    /// the write with <see cref="ArgumentException"/>).</summary>
    public string Rev { get; set; } = "";

    /// <summary>When true, the write fails with <see cref="StorageError.Conflict"/> unless the current root is
    /// <see cref="ExpectedPrevious"/> (empty = the repo must not exist yet). Set by <see cref="ExpectPrevious"/>.</summary>
    public bool CheckPrevious { get; private set; }

    /// <summary>The root this commit was built on, checked when <see cref="CheckPrevious"/> is set.</summary>
    public Cid ExpectedPrevious { get; private set; }

    /// <summary>Encodes the <c>#commit</c> firehose event once the seq is known; null = no event.</summary>
    public IEventEncoder? Event { get; set; }

    /// <summary>Optional: receives the encoded event so the caller can publish the stored bytes without re-encoding.</summary>
    public EventBuffer? EventOutput { get; set; }

    /// <summary>Adds a block written by this commit (MST nodes, records, the commit itself).</summary>
    public void AddBlock(Cid cid, ReadOnlyMemory<byte> bytes) => NewBlocks.Add((cid, bytes));

    /// <summary>Adds several blocks (e.g. a commit builder's block map of new blocks).</summary>
    public void AddBlocks(IEnumerable<KeyValuePair<Cid, ReadOnlyMemory<byte>>> blocks)
    {
        foreach (KeyValuePair<Cid, ReadOnlyMemory<byte>> b in blocks)
            NewBlocks.Add((b.Key, b.Value));
    }

    /// <summary>Deletes a block no longer reachable from the new root (from the MST diff), in the same batch.</summary>
    public void RemoveBlock(Cid cid) => RemovedBlocks.Add(cid);

    /// <summary>Points (collection, rkey) at a record CID.</summary>
    public void PutRecord(string collection, string rkey, Cid cid)
    {
        if (cid.IsEmpty) throw new ArgumentException("Record CID must not be empty.", nameof(cid));
        Records.Add(new RecordWrite(collection, rkey, cid));
    }

    /// <summary>Removes (collection, rkey) from the record index.</summary>
    public void DeleteRecord(string collection, string rkey) => Records.Add(new RecordWrite(collection, rkey, default));

    /// <summary>Records that (collection, rkey) now references <paramref name="blob"/> (makes an upload permanent).</summary>
    public void AddBlobRef(Cid blob, string collection, string rkey) => BlobRefs.Add(new BlobRefWrite(blob, collection, rkey, true));

    /// <summary>Records that (collection, rkey) no longer references <paramref name="blob"/>.</summary>
    public void RemoveBlobRef(Cid blob, string collection, string rkey) => BlobRefs.Add(new BlobRefWrite(blob, collection, rkey, false));

    /// <summary>Requires the current root to be <paramref name="previous"/> (empty: a new repo).</summary>
    public void ExpectPrevious(Cid previous)
    {
        CheckPrevious = true;
        ExpectedPrevious = previous;
    }

    /// <summary>Clears everything for reuse.</summary>
    public void Reset()
    {
        NewBlocks.Clear();
        RemovedBlocks.Clear();
        Records.Clear();
        BlobRefs.Clear();
        AccountId = 0;
        Commit = default;
        Rev = "";
        CheckPrevious = false;
        ExpectedPrevious = default;
        Event = null;
        EventOutput = null;
    }
}
