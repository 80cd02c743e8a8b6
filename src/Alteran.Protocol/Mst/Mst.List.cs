namespace Alteran.Protocol.Mst;

public sealed partial class Mst
{
    /// <summary>
    /// Keys strictly between <paramref name="after"/> and <paramref name="before"/> (either may be null for no bound),
    /// in ascending order, or descending if <paramref name="reverse"/>; at most <paramref name="limit"/> of them
    /// (the first ones in the chosen direction). Only the nodes that overlap the range are loaded.
    /// </summary>
    /// <exception cref="MstException">The tree is malformed (for example keys out of order across nodes).</exception>
    public List<MstLeaf> List(string? after = null, string? before = null, int limit = int.MaxValue, bool reverse = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var result = new List<MstLeaf>(Math.Min(limit, 64));
        if (limit == 0)
            return result;
        var walk = new RangeWalk(this, Ascii(after), Ascii(before), limit, reverse, result);
        walk.Visit(_root, 0);
        return result;
    }

    /// <summary>
    /// Keys that start with <paramref name="prefix"/> (for example <c>app.bsky.feed.post/</c>), ascending or
    /// descending, at most <paramref name="limit"/>; with <paramref name="cursor"/> only keys after it (or before it
    /// when <paramref name="reverse"/>).
    /// </summary>
    public List<MstLeaf> ListPrefix(string prefix, int limit = int.MaxValue, bool reverse = false, string? cursor = null)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        byte[] p = Ascii(prefix)!;
        byte[]? upper = PrefixUpperBound(p);
        byte[]? after = p;
        // 'after' is exclusive; the prefix itself is not a valid key, except when empty.
        if (p.Length == 0)
            after = null;
        if (cursor is not null)
        {
            byte[] c = Ascii(cursor)!;
            if (!reverse && (after is null || c.AsSpan().SequenceCompareTo(after) > 0))
                after = c;
            if (reverse && (upper is null || c.AsSpan().SequenceCompareTo(upper) < 0))
                upper = c;
        }
        var result = new List<MstLeaf>(Math.Min(limit, 64));
        if (limit == 0)
            return result;
        var walk = new RangeWalk(this, after, upper, limit, reverse, result);
        walk.Visit(_root, 0);
        return result;
    }

    /// <summary>Number of keys (walks the whole tree).</summary>
    public int Count()
    {
        var walk = new RangeWalk(this, null, null, int.MaxValue, false, null);
        walk.Visit(_root, 0);
        return walk.Seen;
    }

    /// <summary>Every key in order (walks the whole tree).</summary>
    public List<MstLeaf> ToList() => List();

    private static byte[]? Ascii(string? s)
    {
        if (s is null)
            return null;
        var b = new byte[s.Length];
        for (int i = 0; i < s.Length; i++)
            b[i] = s[i] <= 0x7f ? (byte)s[i] : (byte)0xff;
        return b;
    }

    /// <summary>Smallest byte string greater than every string starting with <paramref name="prefix"/>; null if none.</summary>
    private static byte[]? PrefixUpperBound(byte[] prefix)
    {
        for (int i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] != 0xff)
            {
                var upper = prefix.AsSpan(0, i + 1).ToArray();
                upper[i]++;
                return upper;
            }
        }
        return null;
    }

    /// <summary>
    /// In-order (or reverse-order) walk over the keys inside a range, pruning subtrees outside it and checking that
    /// keys come out strictly increasing across nodes, which also stops a hostile DAG that reuses a subtree.
    /// </summary>
    private sealed class RangeWalk(Mst tree, byte[]? after, byte[]? before, int limit, bool reverse, List<MstLeaf>? output)
    {
        private byte[]? _last;

        public int Seen { get; private set; }

        /// <summary>Returns false once the limit is reached.</summary>
        public bool Visit(MstNode node, int depth)
        {
            if (depth > 256)
                throw new MstException("MST is deeper than any valid tree.");
            var entries = tree.Load(node);
            int n = entries.Count;
            for (int s = 0; s < n; s++)
            {
                int i = reverse ? n - 1 - s : s;
                var e = entries[i];
                if (e.Child is { } child)
                {
                    // The subtree lies between its neighbouring keys in this node.
                    byte[]? lo = i > 0 ? entries[i - 1].Key : null;
                    byte[]? hi = i + 1 < n ? entries[i + 1].Key : null;
                    if (after is not null && hi is not null && hi.AsSpan().SequenceCompareTo(after) <= 0)
                        continue;
                    if (before is not null && lo is not null && lo.AsSpan().SequenceCompareTo(before) >= 0)
                        continue;
                    if (!Visit(child, depth + 1))
                        return false;
                    continue;
                }
                byte[] key = e.Key!;
                CheckOrder(key);
                if (after is not null && key.AsSpan().SequenceCompareTo(after) <= 0)
                    continue;
                if (before is not null && key.AsSpan().SequenceCompareTo(before) >= 0)
                    continue;
                Seen++;
                output?.Add(new MstLeaf(MstKey.ToText(key), e.Value));
                if (Seen >= limit)
                    return false;
            }
            return true;
        }

        private void CheckOrder(byte[] key)
        {
            if (_last is not null)
            {
                int c = key.AsSpan().SequenceCompareTo(_last);
                if (reverse ? c >= 0 : c <= 0)
                    throw new MstException("MST keys are out of order across nodes.");
            }
            _last = key;
        }
    }
}
