using Alteran.Protocol.Repo;

namespace Alteran.Protocol.Mst;

/// <summary>What happened to one key between two trees.</summary>
public enum MstChangeKind
{
    /// <summary>The key is new.</summary>
    Create,
    /// <summary>The key's value changed.</summary>
    Update,
    /// <summary>The key is gone.</summary>
    Delete,
}

/// <summary>A key that differs between two trees, with its old (<see cref="Prev"/>) and new (<see cref="Cid"/>) values.</summary>
public readonly record struct MstChange(MstChangeKind Kind, string Key, Cid? Cid, Cid? Prev);

/// <summary>
/// The difference between two trees: changed keys (in key order), node blocks present only in the new tree, and
/// node CIDs present only in the old one. Computed by walking both trees in key order and skipping every subtree
/// whose CID is the same on both sides, so the cost follows the size of the change, not of the trees.
/// </summary>
public sealed class MstDiff
{
    /// <summary>Changed keys in ascending order.</summary>
    public List<MstChange> Changes { get; } = new();

    /// <summary>Nodes of the new tree that the old tree does not have (CID and block).</summary>
    public BlockMap NewNodes { get; } = new();

    /// <summary>Nodes of the old tree that the new tree does not have.</summary>
    public HashSet<Cid> RemovedNodes { get; } = new();

    /// <summary>
    /// Compares <paramref name="from"/> (null for "no tree": everything is created) with <paramref name="to"/>.
    /// Both must be hashed (<see cref="Mst.ComputeRoot"/>).
    /// </summary>
    public static MstDiff Compute(Mst? from, Mst to)
    {
        ArgumentNullException.ThrowIfNull(to);
        var diff = new MstDiff();
        _ = to.Root; // throws if not hashed
        var added = new Dictionary<Cid, ReadOnlyMemory<byte>>();
        var right = to.Walk();
        if (from is null)
        {
            while (!right.Done)
                diff.TakeRight(right, added);
            diff.Finish(added);
            return diff;
        }
        _ = from.Root;
        var left = from.Walk();
        while (!left.Done || !right.Done)
        {
            if (left.Done)
            {
                diff.TakeRight(right, added);
                continue;
            }
            if (right.Done)
            {
                diff.TakeLeft(left);
                continue;
            }
            MstNode? ln = left.Node, rn = right.Node;
            if (ln is null && rn is null)
            {
                MstEntry l = left.Leaf, r = right.Leaf;
                int c = l.Key.AsSpan().SequenceCompareTo(r.Key);
                if (c == 0)
                {
                    if (l.Value != r.Value)
                        diff.Changes.Add(new(MstChangeKind.Update, MstKey.ToText(r.Key), r.Value, l.Value));
                    left.StepOver();
                    right.StepOver();
                }
                else if (c < 0)
                {
                    diff.TakeLeft(left);
                }
                else
                {
                    diff.TakeRight(right, added);
                }
            }
            else if (ln is not null && rn is not null)
            {
                if (ln.Cid == rn.Cid)
                {
                    left.StepOver();
                    right.StepOver();
                    continue;
                }
                from.LoadNode(ln);
                to.LoadNode(rn);
                if (ln.Height > rn.Height)
                {
                    diff.TakeLeft(left);
                }
                else if (ln.Height < rn.Height)
                {
                    diff.TakeRight(right, added);
                }
                else
                {
                    diff.TakeLeft(left);
                    diff.TakeRight(right, added);
                }
            }
            else if (ln is null)
            {
                diff.TakeRight(right, added);
            }
            else
            {
                diff.TakeLeft(left);
            }
        }
        diff.Finish(added);
        return diff;
    }

    // Consumes the current old-tree item: a leaf is a delete, a node is removed and entered.
    private void TakeLeft(MstWalker left)
    {
        if (left.Node is { } node)
        {
            RemovedNodes.Add(node.Cid);
            left.StepInto();
        }
        else
        {
            var l = left.Leaf;
            Changes.Add(new(MstChangeKind.Delete, MstKey.ToText(l.Key), null, l.Value));
            left.StepOver();
        }
    }

    // Consumes the current new-tree item: a leaf is a create, a node is new and entered.
    private void TakeRight(MstWalker right, Dictionary<Cid, ReadOnlyMemory<byte>> added)
    {
        if (right.Node is { } node)
        {
            right.StepInto();
            added.TryAdd(node.Cid, node.Block);
        }
        else
        {
            var r = right.Leaf;
            Changes.Add(new(MstChangeKind.Create, MstKey.ToText(r.Key), r.Value, null));
            right.StepOver();
        }
    }

    // A node can be "removed" at one place and "added" at another (same CID): it is neither.
    private void Finish(Dictionary<Cid, ReadOnlyMemory<byte>> added)
    {
        foreach (var (cid, block) in added)
        {
            if (!RemovedNodes.Remove(cid))
                NewNodes.Add(cid, block);
        }
    }
}
