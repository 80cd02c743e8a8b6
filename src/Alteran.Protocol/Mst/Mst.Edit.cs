namespace Alteran.Protocol.Mst;

public sealed partial class Mst
{
    private enum PutMode
    {
        Create,
        Update,
        Upsert,
    }

    /// <summary>Adds a new key.</summary>
    /// <exception cref="MstException">The key is invalid or already present.</exception>
    public void Add(string key, in Cid value) => Add(MstKey.ToBytes(key), value);

    /// <summary>Adds a new key (the array is kept by the tree; do not modify it afterwards).</summary>
    /// <exception cref="MstException">The key is invalid or already present.</exception>
    public void Add(byte[] key, in Cid value) => PutCore(key, value, PutMode.Create);

    /// <summary>Changes the value of an existing key and returns the previous value.</summary>
    /// <exception cref="MstException">The key is invalid or not present.</exception>
    public Cid Update(string key, in Cid value) => Update(MstKey.ToBytes(key), value);

    /// <summary>Changes the value of an existing key and returns the previous value.</summary>
    /// <exception cref="MstException">The key is invalid or not present.</exception>
    public Cid Update(byte[] key, in Cid value) => PutCore(key, value, PutMode.Update)!.Value;

    /// <summary>Inserts or updates a key; returns the previous value, or null if the key is new.</summary>
    /// <exception cref="MstException">The key is invalid.</exception>
    public Cid? Put(string key, in Cid value) => Put(MstKey.ToBytes(key), value);

    /// <summary>Inserts or updates a key; returns the previous value, or null if the key is new.</summary>
    /// <exception cref="MstException">The key is invalid.</exception>
    public Cid? Put(byte[] key, in Cid value) => PutCore(key, value, PutMode.Upsert);

    /// <summary>Removes a key; returns its value, or null if it was not present (the tree is then unchanged).</summary>
    /// <exception cref="MstException">The key is invalid.</exception>
    public Cid? Delete(string key) => Delete(MstKey.ToBytes(key));

    /// <summary>Removes a key; returns its value, or null if it was not present (the tree is then unchanged).</summary>
    /// <exception cref="MstException">The key is invalid.</exception>
    public Cid? Delete(ReadOnlySpan<byte> key)
    {
        if (!MstKey.IsValid(key))
            throw new MstException($"Invalid MST key: '{MstKey.Shorten(key)}'.");
        int height = MstKey.Height(key);
        if (!DeleteAt(_root, key, height, out Cid prev))
            return null;
        TrimTop();
        return prev;
    }

    private Cid? PutCore(byte[] key, in Cid value, PutMode mode)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!MstKey.IsValid(key))
            throw new MstException($"Invalid MST key: '{MstKey.Shorten(key)}'.");
        if (value.IsEmpty)
            throw new ArgumentException("default(Cid) is not a value.", nameof(value));
        int height = MstKey.Height(key);
        var rootEntries = Load(_root);
        if (height > _root.Height)
        {
            // Keys above the root cannot already be in the tree.
            if (mode == PutMode.Update)
                throw NotFound(key);
            if (rootEntries.Count == 0)
            {
                _root.Height = height;
            }
            else
            {
                // Push the tree down one layer at a time; the insert below splits it around the key.
                while (_root.Height < height)
                    _root = MstNode.New(_root.Height + 1, [MstEntry.Subtree(_root)]);
            }
        }
        InsertAt(_root, key, value, height, mode, out Cid prev);
        return prev.IsEmpty ? null : prev;
    }

    /// <summary>Inserts into the subtree under <paramref name="node"/> (whose height is ≥ the key's). Returns true if anything changed.</summary>
    private bool InsertAt(MstNode node, byte[] key, in Cid value, int height, PutMode mode, out Cid prev)
    {
        var entries = Load(node);
        int i = LowerBound(entries, key);
        prev = default;
        if (height < node.Height)
        {
            if (i < entries.Count && entries[i].Key.AsSpan().SequenceEqual(key))
                throw new MstException($"MST key '{MstKey.Shorten(key)}' sits at the wrong height.");
            if (i > 0 && entries[i - 1].Child is { } child)
            {
                if (!InsertAt(child, key, value, height, mode, out prev))
                    return false;
                Touch(node);
                return true;
            }
            if (mode == PutMode.Update)
                throw NotFound(key);
            var fresh = MstNode.New(node.Height - 1, new List<MstEntry>(2));
            InsertAt(fresh, key, value, height, mode, out _);
            entries.Insert(i, MstEntry.Subtree(fresh));
            Touch(node);
            return true;
        }

        if (i < entries.Count && entries[i].Key.AsSpan().SequenceEqual(key))
        {
            if (mode == PutMode.Create)
                throw new MstException($"MST key '{MstKey.Shorten(key)}' already exists.");
            prev = entries[i].Value;
            if (prev == value)
                return false;
            entries[i] = MstEntry.Leaf(entries[i].Key!, value);
            Touch(node);
            return true;
        }
        if (mode == PutMode.Update)
            throw NotFound(key);
        var leaf = MstEntry.Leaf(key, value);
        if (i > 0 && entries[i - 1].Child is { } covering)
        {
            // The key falls inside the subtree to its left: split that subtree around it.
            var (left, right) = Split(covering, key);
            entries.RemoveAt(i - 1);
            int at = i - 1;
            if (left is not null)
                entries.Insert(at++, MstEntry.Subtree(left));
            entries.Insert(at++, leaf);
            if (right is not null)
                entries.Insert(at, MstEntry.Subtree(right));
        }
        else
        {
            entries.Insert(i, leaf);
        }
        Touch(node);
        return true;
    }

    /// <summary>
    /// Splits the subtree under <paramref name="node"/> into the keys below and above <paramref name="key"/>
    /// (which is not in it), recursively down the spine that straddles the key. Null for an empty side.
    /// </summary>
    private (MstNode? Left, MstNode? Right) Split(MstNode node, ReadOnlySpan<byte> key)
    {
        var entries = Load(node);
        Touch(node); // replaced by the two halves
        int i = LowerBound(entries, key);
        MstNode? lowLeft = null, lowRight = null;
        int leftEnd = i;
        if (i > 0 && entries[i - 1].Child is { } straddling)
        {
            (lowLeft, lowRight) = Split(straddling, key);
            leftEnd = i - 1;
        }
        var leftEntries = new List<MstEntry>(leftEnd + 1);
        for (int j = 0; j < leftEnd; j++)
            leftEntries.Add(entries[j]);
        if (lowLeft is not null)
            leftEntries.Add(MstEntry.Subtree(lowLeft));
        var rightEntries = new List<MstEntry>(entries.Count - i + 1);
        if (lowRight is not null)
            rightEntries.Add(MstEntry.Subtree(lowRight));
        for (int j = i; j < entries.Count; j++)
            rightEntries.Add(entries[j]);
        return (
            leftEntries.Count > 0 ? MstNode.New(node.Height, leftEntries) : null,
            rightEntries.Count > 0 ? MstNode.New(node.Height, rightEntries) : null);
    }

    /// <summary>Removes the key from the subtree under <paramref name="node"/>; true if it was there.</summary>
    private bool DeleteAt(MstNode node, ReadOnlySpan<byte> key, int height, out Cid prev)
    {
        prev = default;
        if (height > node.Height && node.Height >= 0)
            return false;
        var entries = Load(node);
        if (height > node.Height)
            return false;
        int i = LowerBound(entries, key);
        if (height < node.Height)
        {
            if (i == 0 || entries[i - 1].Child is not { } child)
                return false;
            if (!DeleteAt(child, key, height, out prev))
                return false;
            if (child.Entries!.Count == 0)
                entries.RemoveAt(i - 1);
            Touch(node);
            return true;
        }
        if (i >= entries.Count || !entries[i].Key.AsSpan().SequenceEqual(key))
            return false;
        prev = entries[i].Value;
        if (i > 0 && i + 1 < entries.Count && entries[i - 1].Child is { } a && entries[i + 1].Child is { } b)
        {
            // The two subtrees either side of the key are no longer separated: merge them.
            var merged = Merge(a, b);
            entries[i - 1] = MstEntry.Subtree(merged);
            entries.RemoveRange(i, 2);
        }
        else
        {
            entries.RemoveAt(i);
        }
        Touch(node);
        return true;
    }

    /// <summary>Joins two adjacent subtrees of the same height (every key of the left below every key of the right).</summary>
    private MstNode Merge(MstNode left, MstNode right)
    {
        var le = Load(left);
        var re = Load(right);
        Touch(left); // both replaced by the merged node
        Touch(right);
        var entries = new List<MstEntry>(le.Count + re.Count);
        entries.AddRange(le);
        int start = 0;
        if (le.Count > 0 && re.Count > 0 && le[^1].Child is { } lastLeft && re[0].Child is { } firstRight)
        {
            entries[^1] = MstEntry.Subtree(Merge(lastLeft, firstRight));
            start = 1;
        }
        for (int j = start; j < re.Count; j++)
            entries.Add(re[j]);
        return MstNode.New(left.Height, entries);
    }

    /// <summary>After a delete: drop root layers that hold nothing but one subtree; an emptied root becomes the empty tree.</summary>
    private void TrimTop()
    {
        while (true)
        {
            var entries = _root.Entries!;
            if (entries.Count == 0)
            {
                _root.Height = 0;
                return;
            }
            if (entries.Count != 1 || entries[0].Child is not { } only)
                return;
            _root = only;
            // A partial tree (commit inversion) may lack the new root's block: its CID is all we need.
            if (!TryLoad(only))
                return;
        }
    }

    /// <summary>Marks a node edited; a node that had a CID is remembered as replaced (see <see cref="ComputeRoot(BlockMap?, HashSet{Cid}?)"/>).</summary>
    private void Touch(MstNode node)
    {
        if (!node.Dirty && !node.Cid.IsEmpty)
            _replaced.Add(node.Cid);
        node.Dirty = true;
    }

    private static MstException NotFound(ReadOnlySpan<byte> key) => new($"MST key '{MstKey.Shorten(key)}' does not exist.");
}
