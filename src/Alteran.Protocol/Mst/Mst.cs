using System.Buffers;
using System.Runtime.InteropServices;
using Alteran.Protocol.Repo;

namespace Alteran.Protocol.Mst;

/// <summary>
/// A Merkle Search Tree (atproto repository data structure), mutable and in memory, loaded lazily from an
/// <see cref="IBlockSource"/>. Keys are <c>collection/rkey</c>; values are record CIDs. The structure depends only on
/// the set of keys, never on the order of edits. Edits only mark nodes dirty; <see cref="ComputeRoot"/> encodes and
/// hashes each dirty node once and hands back exactly those new blocks. See <c>Mst/README.md</c> for terminology and
/// the tricky bits. Not thread-safe.
/// </summary>
public sealed partial class Mst
{
    private readonly IBlockSource? _source;
    private readonly ArrayBufferWriter<byte> _scratch = new(1024);
    private readonly HashSet<Cid> _replaced = new();
    private MstNode _root;

    private Mst(IBlockSource? source, MstNode root)
    {
        _source = source;
        _root = root;
    }

    /// <summary>A new empty tree (in memory only).</summary>
    public static Mst Create() => new(null, MstNode.New(0, new List<MstEntry>()));

    /// <summary>
    /// A tree whose root node is <paramref name="root"/>, read from <paramref name="source"/> lazily (nothing is read
    /// until an operation needs it). A partial source works as long as operations stay within the blocks it holds;
    /// otherwise they throw <see cref="MstMissingBlockException"/>.
    /// </summary>
    public static Mst Load(IBlockSource source, in Cid root)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (root.IsEmpty)
            throw new ArgumentException("default(Cid) is not a tree root.", nameof(root));
        return new Mst(source, MstNode.Stub(root, -1));
    }

    /// <summary>True when edits have been made since the last <see cref="ComputeRoot"/>.</summary>
    public bool IsDirty => _root.Dirty;

    /// <summary>The root CID if known without hashing (no pending edits).</summary>
    /// <exception cref="InvalidOperationException">There are pending edits; call <see cref="ComputeRoot"/>.</exception>
    public Cid Root => _root.Dirty ? throw new InvalidOperationException("The tree has pending edits; call ComputeRoot first.") : _root.Cid;

    /// <summary>The height (layer) of the root node.</summary>
    public int Height
    {
        get
        {
            Load(_root);
            return _root.Height;
        }
    }

    /// <summary>
    /// Encodes and hashes every node edited since the last call (each once) and returns the root CID. The new node
    /// blocks (those not in the tree at the previous hash or load) are added to <paramref name="newBlocks"/> if given,
    /// children before parents.
    /// </summary>
    public Cid ComputeRoot(BlockMap? newBlocks = null) => ComputeRoot(newBlocks, null);

    /// <summary>
    /// As <see cref="ComputeRoot(BlockMap?)"/>, and also adds to <paramref name="removedNodes"/> the CIDs of nodes
    /// that were in the tree at the previous hash (or load) and are no longer in it: the blocks a store may drop
    /// once nothing else refers to them.
    /// </summary>
    public Cid ComputeRoot(BlockMap? newBlocks, HashSet<Cid>? removedNodes)
    {
        var created = removedNodes is null ? null : new HashSet<Cid>();
        Hash(_root, newBlocks, created);
        if (removedNodes is not null)
        {
            foreach (var cid in _replaced)
            {
                // An edit can recreate a node exactly (insert then delete): it is then still in the tree.
                if (!created!.Contains(cid))
                    removedNodes.Add(cid);
            }
        }
        _replaced.Clear();
        return _root.Cid;
    }

    private void Hash(MstNode node, BlockMap? newBlocks, HashSet<Cid>? created)
    {
        if (!node.Dirty)
            return;
        var entries = node.Entries!;
        foreach (ref readonly var e in CollectionsMarshal.AsSpan(entries))
        {
            if (e.Child is { Dirty: true } child)
                Hash(child, newBlocks, created);
        }
        byte[] block = MstNodeCodec.Encode(entries, _scratch);
        node.Cid = Cid.ForDagCbor(block);
        node.Block = block;
        node.Dirty = false;
        // A node rebuilt exactly as it was (insert then delete) is already stored: not a new block.
        if (!_replaced.Contains(node.Cid))
            newBlocks?.Add(node.Cid, block);
        created?.Add(node.Cid);
    }

    /// <summary>Loads a stub node's slots from the block source (no-op if loaded).</summary>
    internal List<MstEntry> Load(MstNode node)
    {
        if (node.Entries is { } loaded)
            return loaded;
        if (_source is null || !_source.TryGetBlock(node.Cid, out var block))
            throw new MstMissingBlockException(node.Cid);
        if (!node.Cid.Matches(block.Span) || node.Cid.Codec != CidCodec.DagCbor)
            throw new MstException($"Block {node.Cid} does not match its CID.");
        int height = node.Height;
        var entries = MstNodeCodec.Decode(block.Span, ref height);
        node.Height = height;
        node.Block = block;
        node.Entries = entries;
        return entries;
    }

    /// <summary>Loads a node if its block is available; false if the source lacks it.</summary>
    private bool TryLoad(MstNode node)
    {
        if (node.Entries is not null)
            return true;
        if (_source is null || !_source.TryGetBlock(node.Cid, out _))
            return false;
        Load(node);
        return true;
    }

    /// <summary>Index of the first leaf whose key is ≥ <paramref name="key"/>, or the slot count if none.</summary>
    internal static int LowerBound(List<MstEntry> entries, ReadOnlySpan<byte> key)
    {
        var span = CollectionsMarshal.AsSpan(entries);
        for (int i = 0; i < span.Length; i++)
        {
            if (span[i].Key is { } k && k.AsSpan().SequenceCompareTo(key) >= 0)
                return i;
        }
        return span.Length;
    }

    // ---- Reads ----

    /// <summary>The value at <paramref name="key"/>, if present.</summary>
    public bool TryGet(ReadOnlySpan<byte> key, out Cid value)
    {
        MstNode node = _root;
        while (true)
        {
            var entries = Load(node);
            int i = LowerBound(entries, key);
            if (i < entries.Count && entries[i].Key is { } k && k.AsSpan().SequenceEqual(key))
            {
                value = entries[i].Value;
                return true;
            }
            if (i > 0 && entries[i - 1].Child is { } child)
            {
                node = child;
                continue;
            }
            value = default;
            return false;
        }
    }

    /// <summary>The value at <paramref name="key"/>, if present.</summary>
    public bool TryGet(string key, out Cid value)
    {
        if (!MstKey.IsValid(key))
        {
            value = default;
            return false;
        }
        Span<byte> bytes = stackalloc byte[key.Length];
        for (int i = 0; i < key.Length; i++)
            bytes[i] = (byte)key[i];
        return TryGet(bytes, out value);
    }

    /// <summary>The value at <paramref name="key"/>, or null.</summary>
    public Cid? Get(string key) => TryGet(key, out var v) ? v : null;

    internal MstWalker Walk() => new(this, _root);

    internal void LoadNode(MstNode node) => Load(node);
}
