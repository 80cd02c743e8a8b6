namespace Alteran.Protocol.Mst;

/// <summary>
/// One slot of a node in memory form: either a leaf (<see cref="Key"/> → <see cref="Value"/>) or a subtree
/// (<see cref="Child"/>). A node's slots are in key order and two subtrees are never adjacent.
/// </summary>
internal struct MstEntry
{
    public byte[]? Key;
    public Cid Value;
    public MstNode? Child;

    public static MstEntry Leaf(byte[] key, in Cid value) => new() { Key = key, Value = value };

    public static MstEntry Subtree(MstNode child) => new() { Child = child };

    public readonly bool IsLeaf => Child is null;
}

/// <summary>
/// A node in memory form. A node is either a stub (only its CID is known; <see cref="Entries"/> is null until it is
/// loaded from the block source) or loaded. Edits mark the node <see cref="Dirty"/>; <see cref="Cid"/> and
/// <see cref="Block"/> are only meaningful when it is not dirty, and are recomputed once per
/// <see cref="Mst.ComputeRoot"/>, not per edit.
/// </summary>
internal sealed class MstNode
{
    /// <summary>Layer of the node; -1 for a root stub whose height is learnt when it is loaded.</summary>
    public int Height;

    /// <summary>Slots in key order; null for a stub.</summary>
    public List<MstEntry>? Entries;

    /// <summary>CID of the encoded node, valid when not <see cref="Dirty"/>.</summary>
    public Cid Cid;

    /// <summary>Encoded node (wire form), when known and not <see cref="Dirty"/>.</summary>
    public ReadOnlyMemory<byte> Block;

    /// <summary>Edited since <see cref="Cid"/> was last computed.</summary>
    public bool Dirty;

    public static MstNode Stub(in Cid cid, int height) => new() { Cid = cid, Height = height };

    public static MstNode New(int height, List<MstEntry> entries) => new() { Height = height, Entries = entries, Dirty = true };
}
