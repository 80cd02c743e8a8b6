using Alteran.Protocol;
using Alteran.Protocol.Syntax;

namespace Alteran.Net.Repo;

/// <summary>What a <see cref="RepoWriteOp"/> asks for.</summary>
public enum RepoWriteAction
{
    /// <summary>A new record; the path must be free.</summary>
    Create,
    /// <summary>Replace an existing record.</summary>
    Update,
    /// <summary>
    /// Create or replace (<c>putRecord</c>); resolved under the repo lock. A lone put of the bytes the record
    /// already has commits nothing (<see cref="RepoCommitResult.NoOp"/>), as in the reference PDS.
    /// </summary>
    Put,
    /// <summary>Remove an existing record.</summary>
    Delete,
}

/// <summary>
/// One write of an XRPC request (<c>createRecord</c>, <c>putRecord</c>, <c>deleteRecord</c>, <c>applyWrites</c>):
/// the path, the record as DAG-CBOR, and an optional <c>swapRecord</c> precondition. Checked against the repo
/// under its writer lock, so "put" and swaps cannot race another write.
/// </summary>
public sealed class RepoWriteOp
{
    private RepoWriteOp(RepoWriteAction action, string collection, string rkey, ReadOnlyMemory<byte> record, bool checkSwap, Cid? swap)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(rkey);
        if (!Nsid.IsValid(collection))
            throw new ArgumentException($"Invalid collection NSID '{collection}'.", nameof(collection));
        if (!RecordKey.IsValid(rkey))
            throw new ArgumentException($"Invalid record key '{rkey}'.", nameof(rkey));
        if (action != RepoWriteAction.Delete && record.IsEmpty)
            throw new ArgumentException("The record bytes are empty.", nameof(record));
        Action = action;
        Collection = collection;
        Rkey = rkey;
        Record = record;
        CheckSwapRecord = checkSwap;
        SwapRecord = swap;
    }

    /// <summary>Creates a record (DAG-CBOR bytes).</summary>
    public static RepoWriteOp Create(string collection, string rkey, ReadOnlyMemory<byte> record) =>
        new(RepoWriteAction.Create, collection, rkey, record, false, null);

    /// <summary>Replaces a record; with <paramref name="checkSwap"/>, only if its current CID is <paramref name="swapRecord"/>.</summary>
    public static RepoWriteOp Update(string collection, string rkey, ReadOnlyMemory<byte> record, bool checkSwap = false, Cid? swapRecord = null) =>
        new(RepoWriteAction.Update, collection, rkey, record, checkSwap, swapRecord);

    /// <summary>
    /// Creates or replaces a record (<c>putRecord</c>). With <paramref name="checkSwap"/>: <paramref name="swapRecord"/>
    /// null means the record must not exist, a CID means it must currently have that CID.
    /// </summary>
    public static RepoWriteOp Put(string collection, string rkey, ReadOnlyMemory<byte> record, bool checkSwap = false, Cid? swapRecord = null) =>
        new(RepoWriteAction.Put, collection, rkey, record, checkSwap, swapRecord);

    /// <summary>Deletes a record; with <paramref name="checkSwap"/>, only if its current CID is <paramref name="swapRecord"/>.</summary>
    public static RepoWriteOp Delete(string collection, string rkey, bool checkSwap = false, Cid? swapRecord = null) =>
        new(RepoWriteAction.Delete, collection, rkey, default, checkSwap, swapRecord);

    /// <summary>What to do.</summary>
    public RepoWriteAction Action { get; }

    /// <summary>Collection NSID.</summary>
    public string Collection { get; }

    /// <summary>Record key.</summary>
    public string Rkey { get; }

    /// <summary>The record's DAG-CBOR bytes (empty for deletes).</summary>
    public ReadOnlyMemory<byte> Record { get; }

    /// <summary>True when <see cref="SwapRecord"/> is a precondition.</summary>
    public bool CheckSwapRecord { get; }

    /// <summary>Expected current CID (null: the record must not exist). Only used when <see cref="CheckSwapRecord"/>.</summary>
    public Cid? SwapRecord { get; }
}
