using Alteran.Protocol.Repo;
using MstTree = Alteran.Protocol.Mst.Mst;

namespace Alteran.Protocol.Tests.Mst;

public sealed class MstRootVectorTests
{
    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        using var doc = MstFixtures.Json("atproto", "derived", "mst-root-cid-vectors.json");
        int n = doc.RootElement.GetProperty("rootVectors").GetArrayLength();
        for (int i = 0; i < n; i++)
            data.Add(i);
        return data;
    }

    private static (string[] Keys, Cid Leaf, int Layer, Cid Root, string Comment) Vector(int index)
    {
        using var doc = MstFixtures.Json("atproto", "derived", "mst-root-cid-vectors.json");
        var v = doc.RootElement.GetProperty("rootVectors")[index];
        var keys = v.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).ToArray();
        return (keys, Cid.Parse(v.GetProperty("leafValue").GetString()!), v.GetProperty("layer").GetInt32(),
            Cid.Parse(v.GetProperty("root").GetString()!), v.GetProperty("comment").GetString()!);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RootCidMatchesInAnyInsertionOrder(int index)
    {
        var (keys, leaf, layer, root, comment) = Vector(index);
        var rng = new Random(index);
        for (int round = 0; round < 6; round++)
        {
            var order = keys.ToArray();
            if (round == 1)
                Array.Reverse(order);
            else if (round > 1)
                rng.Shuffle(order);
            var tree = MstTree.Create();
            foreach (var k in order)
                tree.Add(k, leaf);
            Assert.True(root == tree.ComputeRoot(), comment);
            Assert.Equal(layer, tree.Height);
            Assert.Equal(keys.Length, tree.Count());
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReloadedTreeHasSameRootAndKeys(int index)
    {
        var (keys, leaf, layer, root, _) = Vector(index);
        var tree = MstTree.Create();
        foreach (var k in keys)
            tree.Add(k, leaf);
        var blocks = new BlockMap();
        Assert.Equal(root, tree.ComputeRoot(blocks));
        var loaded = MstTree.Load(blocks, root);
        Assert.Equal(layer, loaded.Height);
        var listed = loaded.ToList();
        Assert.Equal(keys, listed.Select(l => l.Key).ToArray());
        Assert.All(listed, l => Assert.Equal(leaf, l.Value));
        Assert.Equal(root, loaded.ComputeRoot());
    }

    [Fact]
    public void TransitionsInTheVectorsWorkByInsertAndDelete()
    {
        // Vectors 4→5: trim top on delete; 6→7: two-layer split; 8→9→10: new layer two higher, and back.
        foreach (var (from, to) in new[] { (4, 5), (6, 7), (8, 9), (9, 10) })
        {
            var a = Vector(from);
            var b = Vector(to);
            var tree = MstTree.Create();
            foreach (var k in a.Keys)
                tree.Add(k, a.Leaf);
            Assert.Equal(a.Root, tree.ComputeRoot());
            foreach (var k in b.Keys.Except(a.Keys))
                tree.Add(k, b.Leaf);
            foreach (var k in a.Keys.Except(b.Keys))
                Assert.NotNull(tree.Delete(k));
            Assert.Equal(b.Root, tree.ComputeRoot());
            // And back again.
            foreach (var k in b.Keys.Except(a.Keys))
                Assert.NotNull(tree.Delete(k));
            foreach (var k in a.Keys.Except(b.Keys))
                tree.Add(k, a.Leaf);
            Assert.Equal(a.Root, tree.ComputeRoot());
        }
    }
}
