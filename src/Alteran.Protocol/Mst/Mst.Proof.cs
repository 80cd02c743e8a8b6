using Alteran.Protocol.Repo;

namespace Alteran.Protocol.Mst;

public sealed partial class Mst
{
    /// <summary>
    /// Adds the nodes on the search path for <paramref name="key"/> (root down to the node that holds it, or to the
    /// gap where it would be): the proof of inclusion or exclusion that <c>com.atproto.sync.getRecord</c> returns.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tree has edits not yet hashed (<see cref="ComputeRoot"/>).</exception>
    public void CollectPathProof(string key, BlockMap into)
    {
        EnsureHashed();
        byte[] k = MstKey.ToBytes(key);
        MstNode node = _root;
        while (true)
        {
            var entries = Load(node);
            AddBlock(node, into);
            int i = LowerBound(entries, k);
            if (i < entries.Count && entries[i].Key.AsSpan().SequenceEqual(k))
                return;
            if (i > 0 && entries[i - 1].Child is { } child)
                node = child;
            else
                return;
        }
    }

    /// <summary>
    /// Adds the "covering proof" for <paramref name="key"/> in this (post-commit) tree: the nodes on its search path
    /// and on the paths to its neighbours on both sides. A <c>#commit</c> event carries these for every operation
    /// so a consumer can apply the operations in reverse and recompute the previous root (sync v1.1). Same node
    /// selection as the reference implementation (<c>getCoveringProof</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The tree has edits not yet hashed (<see cref="ComputeRoot"/>).</exception>
    public void CollectCoveringProof(string key, BlockMap into)
    {
        EnsureHashed();
        byte[] k = MstKey.ToBytes(key);
        ProofForKey(_root, k, into);
        ProofForLeftSibling(_root, k, into);
        ProofForRightSibling(_root, k, into);
    }

    private void EnsureHashed()
    {
        if (_root.Dirty)
            throw new InvalidOperationException("The tree has pending edits; call ComputeRoot first.");
    }

    private static void AddBlock(MstNode node, BlockMap into) => into.Add(node.Cid, node.Block);

    // The node holding the key, and the nodes above it; a bottom node where the key would fall into a gap between
    // leaves is left to the sibling proofs.
    private void ProofForKey(MstNode node, byte[] key, BlockMap into)
    {
        var entries = Load(node);
        int i = LowerBound(entries, key);
        if (!(i < entries.Count && entries[i].Key.AsSpan().SequenceEqual(key)))
        {
            if (i == 0 || entries[i - 1].Child is not { } child)
                return;
            ProofForKey(child, key, into);
        }
        AddBlock(node, into);
    }

    // The path down the subtree just left of the key (towards its left neighbour).
    private void ProofForLeftSibling(MstNode node, byte[] key, BlockMap into)
    {
        var entries = Load(node);
        int i = LowerBound(entries, key);
        if (i > 0 && entries[i - 1].Child is { } child)
            ProofForLeftSibling(child, key, into);
        AddBlock(node, into);
    }

    // The path down to the entry just right of the key (towards its right neighbour).
    private void ProofForRightSibling(MstNode node, byte[] key, BlockMap into)
    {
        var entries = Load(node);
        int i = LowerBound(entries, key);
        MstNode? next = null;
        if (i < entries.Count)
        {
            // entries[i] is a leaf (LowerBound only stops on leaves).
            int j = entries[i].Key.AsSpan().SequenceEqual(key) ? i + 1 : i - 1;
            if (j >= 0 && j < entries.Count)
                next = entries[j].Child;
        }
        else if (i > 0)
        {
            next = entries[i - 1].Child;
        }
        if (next is not null)
            ProofForRightSibling(next, key, into);
        AddBlock(node, into);
    }

    /// <summary>
    /// Adds every node of the tree, parents before children (in key order), and checks the whole tree on the way
    /// (keys in order across nodes, heights, encodings): what a full repository export (CAR) needs besides the
    /// commit and the records (<see cref="List"/> gives the record CIDs).
    /// </summary>
    /// <exception cref="InvalidOperationException">The tree has edits not yet hashed (<see cref="ComputeRoot"/>).</exception>
    /// <exception cref="MstException">A node is missing or the tree is malformed.</exception>
    public void CollectAllNodes(BlockMap into)
    {
        EnsureHashed();
        var walker = Walk();
        while (!walker.Done)
        {
            if (walker.Node is { } node)
            {
                walker.StepInto();
                AddBlock(node, into);
            }
            else
            {
                walker.StepOver();
            }
        }
    }
}
