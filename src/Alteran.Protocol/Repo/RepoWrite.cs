using Alteran.Protocol.Mst;
using Alteran.Protocol.Syntax;

namespace Alteran.Protocol.Repo;

/// <summary>
/// One requested change to a repository: create, update or delete the record at <c>collection/rkey</c>. Creates and
/// updates carry the record as DAG-CBOR bytes (its CID is computed and the block becomes part of the commit), or
/// only the CID of a record block the caller has already stored.
/// </summary>
public sealed class RepoWrite
{
    private RepoWrite(WriteAction action, string collection, string rkey, ReadOnlyMemory<byte> record, Cid? recordCid)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(rkey);
        if (!Nsid.IsValid(collection))
            throw new ArgumentException($"Invalid collection NSID '{collection}'.", nameof(collection));
        if (!RecordKey.IsValid(rkey))
            throw new ArgumentException($"Invalid record key '{rkey}'.", nameof(rkey));
        string path = collection + "/" + rkey;
        if (!MstKey.IsValid(path))
            throw new ArgumentException($"'{path}' is not a valid repository path.", nameof(rkey));
        Action = action;
        Collection = collection;
        Rkey = rkey;
        Path = path;
        Record = record;
        RecordCid = recordCid;
    }

    /// <summary>Creates a record from its DAG-CBOR bytes.</summary>
    public static RepoWrite Create(string collection, string rkey, ReadOnlyMemory<byte> record) =>
        new(WriteAction.Create, collection, rkey, NonEmpty(record), null);

    /// <summary>Creates a record whose block (with CID <paramref name="recordCid"/>) the caller stores itself.</summary>
    public static RepoWrite Create(string collection, string rkey, in Cid recordCid) =>
        new(WriteAction.Create, collection, rkey, default, NonEmpty(recordCid));

    /// <summary>Replaces a record with new DAG-CBOR bytes.</summary>
    public static RepoWrite Update(string collection, string rkey, ReadOnlyMemory<byte> record) =>
        new(WriteAction.Update, collection, rkey, NonEmpty(record), null);

    /// <summary>Replaces a record with a block the caller stores itself.</summary>
    public static RepoWrite Update(string collection, string rkey, in Cid recordCid) =>
        new(WriteAction.Update, collection, rkey, default, NonEmpty(recordCid));

    /// <summary>Deletes a record.</summary>
    public static RepoWrite Delete(string collection, string rkey) =>
        new(WriteAction.Delete, collection, rkey, default, null);

    /// <summary>What the write does.</summary>
    public WriteAction Action { get; }

    /// <summary>Collection NSID.</summary>
    public string Collection { get; }

    /// <summary>Record key.</summary>
    public string Rkey { get; }

    /// <summary>The MST key: <c>collection/rkey</c>.</summary>
    public string Path { get; }

    /// <summary>The record's DAG-CBOR bytes (creates and updates given as bytes); empty otherwise.</summary>
    public ReadOnlyMemory<byte> Record { get; }

    /// <summary>The record's CID when given instead of bytes.</summary>
    public Cid? RecordCid { get; }

    private static ReadOnlyMemory<byte> NonEmpty(ReadOnlyMemory<byte> record) =>
        record.IsEmpty ? throw new ArgumentException("The record bytes are empty.", nameof(record)) : record;

    private static Cid NonEmpty(in Cid cid) =>
        cid.IsEmpty ? throw new ArgumentException("default(Cid) is not a record CID.", nameof(cid)) : cid;
}
