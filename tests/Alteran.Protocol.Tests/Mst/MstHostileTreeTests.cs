using System.Buffers;
using Alteran.Protocol.Cbor;
using Alteran.Protocol.Mst;
using Alteran.Protocol.Repo;
using MstTree = Alteran.Protocol.Mst.Mst;

namespace Alteran.Protocol.Tests.Mst;

/// <summary>Malformed and hostile node blocks must give <see cref="MstException"/>, never a crash, hang or wrong answer.</summary>
public sealed class MstHostileTreeTests
{
    private sealed record RawEntry(int P, byte[] K, Cid? T, Cid V);

    private static readonly Cid Leaf = MstFixtures.RecordCid(7);

    private static byte[] Node(Cid? left, params RawEntry[] entries)
    {
        var buf = new ArrayBufferWriter<byte>();
        var w = new DagCborWriter(buf);
        w.WriteMapHeader(2);
        w.WriteText("e"u8);
        w.WriteArrayHeader(entries.Length);
        foreach (var e in entries)
        {
            w.WriteMapHeader(4);
            w.WriteText("k"u8);
            w.WriteBytes(e.K);
            w.WriteText("p"u8);
            w.WriteInt(e.P);
            w.WriteText("t"u8);
            if (e.T is { } t) w.WriteCid(t); else w.WriteNull();
            w.WriteText("v"u8);
            w.WriteCid(e.V);
        }
        w.WriteText("l"u8);
        if (left is { } l) w.WriteCid(l); else w.WriteNull();
        w.Flush();
        return buf.WrittenSpan.ToArray();
    }

    private static RawEntry E(string key, Cid? t = null, int p = 0) =>
        new(p, System.Text.Encoding.ASCII.GetBytes(key[p..]), t, Leaf);

    private static string[] KeysAt(int height, int count) =>
        MstFixtures.ExampleKeys().Where(k => k[1] - '0' == height).Take(count).ToArray();

    private static MstException AssertFails(BlockMap blocks, Cid root, Action<MstTree> action)
    {
        var tree = MstTree.Load(blocks, root);
        return Assert.ThrowsAny<MstException>(() => action(tree));
    }

    [Fact]
    public void UnsortedKeysInANodeAreRejected()
    {
        var k = KeysAt(0, 2);
        var blocks = new BlockMap();
        var root = blocks.AddDagCbor(Node(null, E(k[1]), E(k[0])));
        AssertFails(blocks, root, t => t.Count());
        var dup = blocks.AddDagCbor(Node(null, E(k[0]), E(k[0])));
        AssertFails(blocks, dup, t => t.Get(k[0]));
    }

    [Fact]
    public void KeyAtTheWrongHeightIsRejected()
    {
        var k0 = KeysAt(0, 1)[0];
        var k1 = KeysAt(1, 1)[0];
        var blocks = new BlockMap();
        var child = blocks.AddDagCbor(Node(null, E(k1)));       // a height-1 key where height 0 is expected
        var root = blocks.AddDagCbor(Node(child, E(KeysAt(1, 3)[2])));
        var mixed = blocks.AddDagCbor(Node(null, E(k0), E(k1)));
        AssertFails(blocks, root, t => t.Count());
        AssertFails(blocks, mixed, t => t.Count());
    }

    [Fact]
    public void EmptyIntermediateNodeIsRejected()
    {
        var blocks = new BlockMap();
        var empty = blocks.AddDagCbor(Node(null));
        var root = blocks.AddDagCbor(Node(empty, E(KeysAt(1, 1)[0])));
        AssertFails(blocks, root, t => t.Count());
    }

    [Fact]
    public void UntrimmedRootIsRejected()
    {
        var blocks = new BlockMap();
        var child = blocks.AddDagCbor(Node(null, E(KeysAt(0, 1)[0])));
        var root = blocks.AddDagCbor(Node(child));
        AssertFails(blocks, root, t => t.Count());
    }

    [Fact]
    public void SelfReferenceAndSubtreeBelowHeightZeroAreRejected()
    {
        var blocks = new BlockMap();
        // A node cannot contain its own CID, so build the loop through the height rule: a height-0 node with a child.
        var leaf0 = blocks.AddDagCbor(Node(null, E(KeysAt(0, 1)[0])));
        var bad0 = blocks.AddDagCbor(Node(leaf0, E(KeysAt(0, 2)[1])));
        AssertFails(blocks, bad0, t => t.Count());
        // A leafless chain: every layer down to 0 must end in keys.
        var leafless = blocks.AddDagCbor(Node(null));
        var chain = blocks.AddDagCbor(Node(leafless, E(KeysAt(2, 1)[0])));
        AssertFails(blocks, chain, t => t.Count());
    }

    [Fact]
    public void SharedSubtreeIsRejectedByOrderCheck()
    {
        // One child reachable twice (a DAG, not a tree): walking it twice would repeat keys.
        var k0 = KeysAt(0, 1)[0];
        var ones = KeysAt(1, 3).OrderBy(x => x, StringComparer.Ordinal).ToArray();
        var blocks = new BlockMap();
        var child = blocks.AddDagCbor(Node(null, E(k0)));
        var root = blocks.AddDagCbor(Node(child, E(ones[0], child), E(ones[1], child), E(ones[2], child)));
        AssertFails(blocks, root, t => t.Count());
        AssertFails(blocks, root, t => t.List());
        var good = MstTree.Create();
        good.Add(k0, Leaf);
        good.ComputeRoot();
        var from = MstTree.Load(blocks, root);
        Assert.ThrowsAny<MstException>(() => MstDiff.Compute(good, from));
    }

    [Fact]
    public void BlockNotMatchingItsCidIsRejected()
    {
        var blocks = new BlockMap();
        var real = Node(null, E(KeysAt(0, 1)[0]));
        var other = Cid.ForDagCbor(Node(null, E(KeysAt(0, 2)[1])));
        blocks.Add(other, real);
        AssertFails(blocks, other, t => t.Count());
    }

    [Fact]
    public void MissingBlockIsReported()
    {
        var blocks = new BlockMap();
        var absent = Cid.ForDagCbor([0xa0]);
        var root = blocks.AddDagCbor(Node(absent, E(KeysAt(1, 1)[0])));
        var ex = AssertFails(blocks, root, t => t.Count());
        Assert.Equal(absent, Assert.IsType<MstMissingBlockException>(ex).Cid);
    }

    [Fact]
    public void BadPrefixAndKeysAreRejected()
    {
        var k = KeysAt(0, 2).OrderBy(x => x, StringComparer.Ordinal).ToArray();
        var blocks = new BlockMap();
        Cid[] roots =
        [
            blocks.AddDagCbor(Node(null, new RawEntry(1, "x/y"u8.ToArray(), null, Leaf))),                 // p > 0 on first key
            blocks.AddDagCbor(Node(null, E(k[0]), new RawEntry(50, "zz"u8.ToArray(), null, Leaf))),         // p beyond previous key
            blocks.AddDagCbor(Node(null, E(k[0]), new RawEntry(-1, "zz"u8.ToArray(), null, Leaf))),         // negative p
            blocks.AddDagCbor(Node(null, new RawEntry(0, "no-slash"u8.ToArray(), null, Leaf))),            // invalid key
            blocks.AddDagCbor(Node(null, new RawEntry(0, "a/b\xff"u8.ToArray()[..4], null, Leaf))),        // non-ASCII byte
            blocks.AddDagCbor(Node(null, new RawEntry(0, new byte[1100], null, Leaf))),                     // too long
            blocks.AddDagCbor(Node(null, E(k[0]), new RawEntry(k[0].Length, [], null, Leaf))),              // empty suffix = same key
        ];
        foreach (var root in roots)
            AssertFails(blocks, root, t => t.Count());
    }

    [Fact]
    public void WrongShapesAreRejected()
    {
        string key = KeysAt(0, 1)[0];
        var kb = System.Text.Encoding.ASCII.GetBytes(key);
        var blocks = new BlockMap();
        var bad = new List<byte[]>
        {
            Raw((ref DagCborWriter w) => { w.WriteMapHeader(1); w.WriteText("e"u8); w.WriteArrayHeader(0); }),                                  // missing l
            Raw((ref DagCborWriter w) => { w.WriteMapHeader(3); w.WriteText("e"u8); w.WriteArrayHeader(0); w.WriteText("l"u8); w.WriteNull(); w.WriteText("x"u8); w.WriteNull(); }),
            Raw((ref DagCborWriter w) => { w.WriteArrayHeader(0); }),
            Raw((ref DagCborWriter w) => { w.WriteMapHeader(2); w.WriteText("e"u8); w.WriteArrayHeader(1); w.WriteMapHeader(3); w.WriteText("k"u8); w.WriteBytes(kb); w.WriteText("p"u8); w.WriteInt(0); w.WriteText("v"u8); w.WriteCid(Leaf); w.WriteText("l"u8); w.WriteNull(); }), // t omitted
            Raw((ref DagCborWriter w) => { w.WriteMapHeader(2); w.WriteText("e"u8); w.WriteArrayHeader(1); w.WriteMapHeader(4); w.WriteText("k"u8); w.WriteText(key); w.WriteText("p"u8); w.WriteInt(0); w.WriteText("t"u8); w.WriteNull(); w.WriteText("v"u8); w.WriteCid(Leaf); w.WriteText("l"u8); w.WriteNull(); }), // k as text
            Raw((ref DagCborWriter w) => { w.WriteMapHeader(2); w.WriteText("e"u8); w.WriteArrayHeader(0); w.WriteText("l"u8); w.WriteInt(5); }),
        };
        var good = Node(null, E(key));
        // Every strict prefix of a good node, and trailing bytes after it.
        for (int n = 0; n < good.Length; n++)
            bad.Add(good[..n]);
        bad.Add([.. good, 0x00]);
        foreach (var block in bad)
        {
            var cid = blocks.AddDagCbor(block);
            AssertFails(blocks, cid, t => t.Count());
        }
        // The good one loads.
        Assert.Equal(1, MstTree.Load(blocks, blocks.AddDagCbor(good)).Count());
    }

    [Fact]
    public void HugeDeclaredEntryCountDoesNotAllocate()
    {
        var blocks = new BlockMap();
        var cid = blocks.AddDagCbor(Raw((ref DagCborWriter w) => { w.WriteMapHeader(2); w.WriteText("e"u8); w.WriteArrayHeader(int.MaxValue); }));
        AssertFails(blocks, cid, t => t.Count());
    }

    private delegate void WriteAction(ref DagCborWriter w);

    private static byte[] Raw(WriteAction write)
    {
        var buf = new ArrayBufferWriter<byte>();
        var w = new DagCborWriter(buf);
        write(ref w);
        w.Flush();
        return buf.WrittenSpan.ToArray();
    }
}

/// <summary>Random byte flips in real node blocks: loading them gives a valid tree or <see cref="MstException"/>.</summary>
public sealed class MstMutationTests
{
    [Fact]
    public void MutatedNodesNeverCrash()
    {
        var rng = new Random(77);
        var tree = MstTree.Create();
        for (int i = 0; i < 300; i++)
            tree.Add(MstPropertyTests.RandomKey(rng), MstFixtures.RecordCid(i));
        var blocks = new BlockMap();
        tree.ComputeRoot(blocks);
        var nodes = blocks.ToArray();
        int ok = 0, rejected = 0;
        for (int round = 0; round < 2000; round++)
        {
            var (_, block) = nodes[rng.Next(nodes.Length)];
            var bytes = block.ToArray();
            int flips = rng.Next(1, 4);
            for (int f = 0; f < flips; f++)
                bytes[rng.Next(bytes.Length)] ^= (byte)(1 << rng.Next(8));
            var store = new BlockMap();
            store.AddAll(blocks);
            var cid = store.AddDagCbor(bytes);
            try
            {
                var t = MstTree.Load(store, cid);
                t.Count();
                t.Get("app.bsky.feed.post/3aaaaaaaaaaaa");
                ok++;
            }
            catch (MstException)
            {
                rejected++;
            }
        }
        Assert.True(rejected > 1000, $"{rejected} rejected, {ok} loaded");
    }
}
