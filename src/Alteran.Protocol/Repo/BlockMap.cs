using System.Collections;
using System.Runtime.InteropServices;

namespace Alteran.Protocol.Repo;

/// <summary>
/// An insertion-ordered set of blocks keyed by CID (adding a CID twice keeps the first). Used for the new blocks
/// of a commit, for proofs, and as an in-memory <see cref="IBlockSource"/>.
/// </summary>
public sealed class BlockMap : IBlockSource, IReadOnlyCollection<KeyValuePair<Cid, ReadOnlyMemory<byte>>>
{
    private readonly Dictionary<Cid, int> _index;
    private readonly List<KeyValuePair<Cid, ReadOnlyMemory<byte>>> _blocks;

    /// <summary>Creates an empty map.</summary>
    public BlockMap(int capacity = 0)
    {
        _index = new Dictionary<Cid, int>(capacity);
        _blocks = new List<KeyValuePair<Cid, ReadOnlyMemory<byte>>>(capacity);
    }

    /// <summary>Number of blocks.</summary>
    public int Count => _blocks.Count;

    /// <summary>Adds a block; returns false (and keeps the existing one) if the CID is already present.</summary>
    public bool Add(in Cid cid, ReadOnlyMemory<byte> block)
    {
        if (cid.IsEmpty)
            throw new ArgumentException("default(Cid) is not a block address.", nameof(cid));
        ref int slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_index, cid, out bool exists);
        if (exists)
            return false;
        slot = _blocks.Count;
        _blocks.Add(new(cid, block));
        return true;
    }

    /// <summary>Adds a DAG-CBOR block under its computed CID and returns that CID.</summary>
    public Cid AddDagCbor(ReadOnlyMemory<byte> block)
    {
        var cid = Cid.ForDagCbor(block.Span);
        Add(cid, block);
        return cid;
    }

    /// <summary>Adds every block of <paramref name="other"/> not already present.</summary>
    public void AddAll(BlockMap other)
    {
        foreach (var kv in other._blocks)
            Add(kv.Key, kv.Value);
    }

    /// <summary>True if the map holds <paramref name="cid"/>.</summary>
    public bool Contains(in Cid cid) => _index.ContainsKey(cid);

    /// <inheritdoc/>
    public bool TryGetBlock(in Cid cid, out ReadOnlyMemory<byte> block)
    {
        if (_index.TryGetValue(cid, out int i))
        {
            block = _blocks[i].Value;
            return true;
        }
        block = default;
        return false;
    }

    /// <summary>The CIDs, in insertion order.</summary>
    public IEnumerable<Cid> Cids
    {
        get
        {
            foreach (var kv in _blocks)
                yield return kv.Key;
        }
    }

    /// <summary>Enumerates blocks in insertion order.</summary>
    public List<KeyValuePair<Cid, ReadOnlyMemory<byte>>>.Enumerator GetEnumerator() => _blocks.GetEnumerator();

    IEnumerator<KeyValuePair<Cid, ReadOnlyMemory<byte>>> IEnumerable<KeyValuePair<Cid, ReadOnlyMemory<byte>>>.GetEnumerator() => _blocks.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _blocks.GetEnumerator();
}
