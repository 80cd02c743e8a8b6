using Alteran.Protocol.Cbor;
using Alteran.Protocol.Crypto;
using Alteran.Protocol.Mst;
using Alteran.Protocol.Syntax;
using MstTree = Alteran.Protocol.Mst.Mst;

namespace Alteran.Protocol.Repo;

/// <summary>The repository state a commit starts from, and how to sign it.</summary>
/// <param name="Did">The repository's DID.</param>
/// <param name="Data">MST root of the current commit; null for a new repository.</param>
/// <param name="Blocks">Where the current tree's nodes are read from (lazily: only the touched paths).</param>
/// <param name="SigningKey">The repository signing key.</param>
/// <param name="Rev">The new commit's rev (a TID greater than <paramref name="CurrentRev"/>).</param>
/// <param name="CurrentRev">Rev of the current commit, if any; checked to be lower than <paramref name="Rev"/>.</param>
public sealed record CommitInput(string Did, Cid? Data, IBlockSource Blocks, PrivateKey SigningKey, string Rev, string? CurrentRev = null);

/// <summary>Everything a new commit produced.</summary>
public sealed class CommitResult
{
    internal CommitResult(Commit commit, Cid commitCid, byte[] commitBytes, BlockMap newBlocks, List<RepoOp> ops,
        Cid? prevData, BlockMap firehoseBlocks, HashSet<Cid> removedNodes)
    {
        RemovedNodes = removedNodes;
        Commit = commit;
        CommitCid = commitCid;
        CommitBytes = commitBytes;
        NewBlocks = newBlocks;
        Ops = ops;
        PrevData = prevData;
        FirehoseBlocks = firehoseBlocks;
    }

    /// <summary>The signed commit.</summary>
    public Commit Commit { get; }

    /// <summary>CID of the commit block.</summary>
    public Cid CommitCid { get; }

    /// <summary>The commit block.</summary>
    public byte[] CommitBytes { get; }

    /// <summary>New MST root (<c>Commit.Data</c>).</summary>
    public Cid Data => Commit.Data;

    /// <summary>Blocks to persist: the records given as bytes, the MST nodes re-encoded by this commit, the commit.</summary>
    public BlockMap NewBlocks { get; }

    /// <summary>
    /// MST nodes of the previous tree that the new tree no longer has (a store may drop them once unreferenced).
    /// Records no longer referenced by this repository are the <see cref="RepoOp.Prev"/> of updates and deletes.
    /// </summary>
    public HashSet<Cid> RemovedNodes { get; }

    /// <summary>The operations in the order of the writes, with previous CIDs.</summary>
    public List<RepoOp> Ops { get; }

    /// <summary>MST root before the commit (sync v1.1 <c>prevData</c>); null for a new repository.</summary>
    public Cid? PrevData { get; }

    /// <summary>
    /// The blocks a <c>#commit</c> event carries: the commit, new records, new MST nodes, and the covering-proof
    /// nodes that let a consumer invert the operations and check <see cref="PrevData"/>.
    /// </summary>
    public BlockMap FirehoseBlocks { get; }
}

/// <summary>
/// Builds a signed commit from a repository state and a list of writes. Pure: reads the current tree through
/// <see cref="CommitInput.Blocks"/>, writes nothing, returns every new block.
/// </summary>
public static class CommitBuilder
{
    /// <summary>Applies <paramref name="writes"/> (in order) and signs the resulting commit.</summary>
    /// <exception cref="RepoException">
    /// A create targets an existing record, an update or delete a missing one, two writes share a path, a record is
    /// not valid DAG-CBOR, or the rev does not increase.
    /// </exception>
    /// <exception cref="MstException">The current tree is malformed or has blocks missing from the source.</exception>
    public static CommitResult Build(CommitInput input, IReadOnlyList<RepoWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(writes);
        if (!Tid.IsValid(input.Rev))
            throw new RepoException($"The new rev '{input.Rev}' is not a TID.");
        if (input.CurrentRev is { } current && string.CompareOrdinal(input.Rev, current) <= 0)
            throw new RepoException($"The new rev '{input.Rev}' is not after the current rev '{current}'.");

        var tree = input.Data is { } data ? MstTree.Load(input.Blocks, data) : MstTree.Create();
        var records = new BlockMap(writes.Count);
        var ops = new List<RepoOp>(writes.Count);
        var paths = new HashSet<string>(writes.Count, StringComparer.Ordinal);
        foreach (var write in writes)
        {
            ArgumentNullException.ThrowIfNull(write);
            if (!paths.Add(write.Path))
                throw new RepoException($"Two writes to '{write.Path}' in one commit.");
            byte[] key = MstKey.ToBytes(write.Path);
            switch (write.Action)
            {
                case WriteAction.Create:
                {
                    Cid cid = RecordCid(write, records);
                    if (tree.TryGet(key, out _))
                        throw new RepoException($"Cannot create '{write.Path}': a record already exists there.");
                    tree.Add(key, cid);
                    ops.Add(new RepoOp(WriteAction.Create, write.Path, cid, null));
                    break;
                }
                case WriteAction.Update:
                {
                    Cid cid = RecordCid(write, records);
                    if (!tree.TryGet(key, out _))
                        throw new RepoException($"Cannot update '{write.Path}': no record exists there.");
                    Cid prev = tree.Update(key, cid);
                    ops.Add(new RepoOp(WriteAction.Update, write.Path, cid, prev));
                    break;
                }
                case WriteAction.Delete:
                {
                    Cid? prev = tree.Delete(key);
                    if (prev is null)
                        throw new RepoException($"Cannot delete '{write.Path}': no record exists there.");
                    ops.Add(new RepoOp(WriteAction.Delete, write.Path, null, prev));
                    break;
                }
                default:
                    throw new ArgumentOutOfRangeException(nameof(writes), write.Action, "Unknown write action.");
            }
        }

        var nodes = new BlockMap();
        var removed = new HashSet<Cid>();
        Cid root = tree.ComputeRoot(nodes, removed);
        var commit = new Commit(input.Did, root, input.Rev).Sign(input.SigningKey);
        byte[] commitBytes = commit.Encode();
        Cid commitCid = Cid.ForDagCbor(commitBytes);

        var newBlocks = new BlockMap(records.Count + nodes.Count + 1);
        newBlocks.Add(commitCid, commitBytes);
        newBlocks.AddAll(records);
        newBlocks.AddAll(nodes);

        var firehose = new BlockMap(newBlocks.Count + 8);
        firehose.AddAll(newBlocks);
        foreach (var op in ops)
            tree.CollectCoveringProof(op.Path, firehose);

        return new CommitResult(commit, commitCid, commitBytes, newBlocks, ops, input.Data, firehose, removed);
    }

    private static Cid RecordCid(RepoWrite write, BlockMap records)
    {
        if (write.RecordCid is { } given)
            return given;
        var bytes = write.Record;
        try
        {
            DagCbor.Validate(bytes.Span);
        }
        catch (DagCborException ex)
        {
            throw new RepoException($"Record '{write.Path}' is not valid DAG-CBOR: {ex.Message}", ex);
        }
        return records.AddDagCbor(bytes);
    }
}
