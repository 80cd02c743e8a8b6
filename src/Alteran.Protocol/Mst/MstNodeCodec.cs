using System.Buffers;
using Alteran.Protocol.Cbor;

namespace Alteran.Protocol.Mst;

/// <summary>
/// Wire form of an MST node: <c>{e: [{k: bytes, p: int, t: CID|null, v: CID}], l: CID|null}</c> in DAG-CBOR
/// canonical key order (<c>e</c> before <c>l</c>; <c>k, p, t, v</c>). <c>p</c> is the length of the prefix a key
/// shares with the previous key in the same node, <c>k</c> the rest; <c>l</c> is the subtree left of the first
/// key and <c>t</c> the subtree right of each key. Absent subtrees are explicit nulls.
/// </summary>
internal static class MstNodeCodec
{
    /// <summary>Upper bound on node nesting a reader accepts (the node itself is 4 levels deep).</summary>
    private static readonly DagCborLimits Limits = new() { MaxDepth = 4 };

    /// <summary>Encodes a loaded node's slots. Subtree slots must have a computed CID.</summary>
    public static byte[] Encode(List<MstEntry> entries, ArrayBufferWriter<byte> scratch)
    {
        scratch.ResetWrittenCount();
        var w = new DagCborWriter(scratch);
        int leaves = 0;
        foreach (ref readonly var e in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(entries))
        {
            if (e.IsLeaf)
                leaves++;
        }
        w.WriteMapHeader(2);
        w.WriteText("e"u8);
        w.WriteArrayHeader(leaves);
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(entries);
        ReadOnlySpan<byte> prev = default;
        for (int i = 0; i < span.Length; i++)
        {
            ref readonly var e = ref span[i];
            if (!e.IsLeaf)
                continue;
            byte[] key = e.Key!;
            int p = MstKey.CommonPrefixLength(prev, key);
            w.WriteMapHeader(4);
            w.WriteText("k"u8);
            w.WriteBytes(key.AsSpan(p));
            w.WriteText("p"u8);
            w.WriteInt(p);
            w.WriteText("t"u8);
            if (i + 1 < span.Length && span[i + 1].Child is { } right)
                w.WriteCid(in right.Cid);
            else
                w.WriteNull();
            w.WriteText("v"u8);
            w.WriteCid(in e.Value);
            prev = key;
        }
        w.WriteText("l"u8);
        if (span.Length > 0 && span[0].Child is { } left)
            w.WriteCid(in left.Cid);
        else
            w.WriteNull();
        w.Flush();
        return scratch.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Decodes a node. <paramref name="height"/> is the layer the parent implies, or -1 for a root (then taken from
    /// the first key). Checks the wire shape, key validity, strictly increasing keys, every key's height, and that
    /// the node is not an empty intermediate node; child slots become stubs one layer down.
    /// </summary>
    /// <exception cref="MstException">The block is not a well-formed node at that height.</exception>
    public static List<MstEntry> Decode(ReadOnlySpan<byte> block, ref int height)
    {
        try
        {
            return DecodeCore(block, ref height);
        }
        catch (DagCborException ex)
        {
            throw new MstException($"MST node is not valid DAG-CBOR: {ex.Message}", ex);
        }
    }

    private static List<MstEntry> DecodeCore(ReadOnlySpan<byte> block, ref int height)
    {
        var r = new DagCborReader(block, Limits);
        if (r.ReadMapHeader() != 2)
            throw new MstException("MST node must be a map of exactly {e, l}.");
        if (!r.ReadMapKey().SequenceEqual("e"u8))
            throw new MstException("MST node is missing 'e'.");
        int count = r.ReadArrayHeader();
        // Each leaf may be followed by a subtree, plus the left subtree.
        var entries = new List<MstEntry>(Math.Min(count * 2 + 1, 64));
        Span<byte> keyBuf = stackalloc byte[MstKey.MaxLength];
        int prevLen = 0;
        bool hasRights = false;
        for (int i = 0; i < count; i++)
        {
            if (r.ReadMapHeader() != 4)
                throw new MstException("MST entry must be a map of exactly {k, p, t, v}.");
            ExpectKey(ref r, "k"u8);
            ReadOnlySpan<byte> suffix = r.ReadBytes();
            ExpectKey(ref r, "p"u8);
            long p = r.ReadInt();
            if (p < 0 || p > prevLen)
                throw new MstException($"MST entry prefix length {p} is out of range (previous key has {prevLen} bytes).");
            if (p + suffix.Length > MstKey.MaxLength)
                throw new MstException("MST key is longer than 1024 bytes.");
            int keyLen = (int)p + suffix.Length;
            // The first p bytes of keyBuf still hold the previous key.
            if (i > 0 && suffix.Length > 0 && keyLen > 0)
            {
                // Strictly increasing: compare the new key against the previous one before overwriting it.
                int c = suffix.SequenceCompareTo(keyBuf.Slice((int)p, prevLen - (int)p));
                if (c <= 0)
                    throw new MstException("MST node keys are not in strictly increasing order.");
            }
            else if (i > 0)
            {
                // An empty suffix makes the key a prefix of (or equal to) the previous one: not increasing.
                throw new MstException("MST node keys are not in strictly increasing order.");
            }
            suffix.CopyTo(keyBuf[(int)p..]);
            ReadOnlySpan<byte> key = keyBuf[..keyLen];
            if (!MstKey.IsValid(key))
                throw new MstException($"Invalid MST key in node: '{MstKey.Shorten(key)}'.");
            int h = MstKey.Height(key);
            if (height < 0)
                height = h;
            else if (h != height)
                throw new MstException($"MST key '{MstKey.Shorten(key)}' has height {h} but sits in a node at height {height}.");
            ExpectKey(ref r, "t"u8);
            Cid right = default;
            if (!r.TryReadNull())
                right = r.ReadCid();
            ExpectKey(ref r, "v"u8);
            Cid value = r.ReadCid();
            entries.Add(MstEntry.Leaf(key.ToArray(), value));
            if (!right.IsEmpty)
            {
                // Placeholder holding the subtree's CID, turned into a stub once the node's height is known.
                entries.Add(new MstEntry { Value = right });
                hasRights = true;
            }
            prevLen = keyLen;
        }
        if (!r.ReadMapKey().SequenceEqual("l"u8))
            throw new MstException("MST node is missing 'l'.");
        Cid leftCid = default;
        if (!r.TryReadNull())
            leftCid = r.ReadCid();
        r.EnsureEnd();

        if (height < 0)
        {
            // A root without keys: only the empty tree (no left subtree) is canonical.
            if (!leftCid.IsEmpty)
                throw new MstException("MST root node has no keys but points to a subtree (it should have been trimmed).");
            height = 0;
            return entries;
        }
        if (count == 0 && leftCid.IsEmpty)
            throw new MstException("Empty intermediate MST node.");
        if (height == 0 && (!leftCid.IsEmpty || hasRights))
            throw new MstException("MST node at height 0 points to a subtree.");
        if (hasRights)
        {
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(entries);
            for (int i = 0; i < span.Length; i++)
            {
                if (span[i].Key is null)
                    span[i] = MstEntry.Subtree(MstNode.Stub(span[i].Value, height - 1));
            }
        }
        if (!leftCid.IsEmpty)
            entries.Insert(0, MstEntry.Subtree(MstNode.Stub(leftCid, height - 1)));
        return entries;
    }

    private static void ExpectKey(ref DagCborReader r, ReadOnlySpan<byte> name)
    {
        if (!r.ReadMapKey().SequenceEqual(name))
            throw new MstException($"MST entry must be a map of exactly {{k, p, t, v}}; expected '{System.Text.Encoding.ASCII.GetString(name)}'.");
    }
}
