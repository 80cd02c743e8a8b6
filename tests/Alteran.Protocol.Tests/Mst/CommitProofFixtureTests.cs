using Alteran.Protocol.Mst;
using Alteran.Protocol.Repo;
using MstTree = Alteran.Protocol.Mst.Mst;

namespace Alteran.Protocol.Tests.Mst;

/// <summary>
/// interop/firehose/commit-proof-fixtures.json: both roots, the covering-proof block set a #commit carries, and that
/// the operations inverted on a tree made of only those blocks give back rootBeforeCommit, in every order.
/// </summary>
public sealed class CommitProofFixtureTests
{
    public sealed record Fixture(string Comment, Cid Leaf, string[] Keys, string[] Adds, string[] Dels, Cid Before, Cid After, Cid[] BlocksInProof)
    {
        public override string ToString() => Comment;
    }

    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Load().Count; i++)
            data.Add(i);
        return data;
    }

    public static List<Fixture> Load()
    {
        using var doc = MstFixtures.Json("interop", "firehose", "commit-proof-fixtures.json");
        var list = new List<Fixture>();
        foreach (var f in doc.RootElement.EnumerateArray())
        {
            static string[] Strings(System.Text.Json.JsonElement e) => e.EnumerateArray().Select(x => x.GetString()!).ToArray();
            list.Add(new Fixture(
                f.GetProperty("comment").GetString()!,
                Cid.Parse(f.GetProperty("leafValue").GetString()!),
                Strings(f.GetProperty("keys")),
                Strings(f.GetProperty("adds")),
                Strings(f.GetProperty("dels")),
                Cid.Parse(f.GetProperty("rootBeforeCommit").GetString()!),
                Cid.Parse(f.GetProperty("rootAfterCommit").GetString()!),
                Strings(f.GetProperty("blocksInProof")).Select(Cid.Parse).ToArray()));
        }
        return list;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RootsProofAndInversion(int index)
    {
        var f = Load()[index];
        var tree = MstTree.Create();
        foreach (var k in f.Keys)
            tree.Add(k, f.Leaf);
        Assert.Equal(f.Before, tree.ComputeRoot());
        foreach (var k in f.Adds)
            tree.Add(k, f.Leaf);
        foreach (var k in f.Dels)
            Assert.Equal(f.Leaf, tree.Delete(k));
        Assert.Equal(f.After, tree.ComputeRoot());

        var proof = new BlockMap();
        foreach (var k in f.Adds.Concat(f.Dels))
            tree.CollectCoveringProof(k, proof);
        foreach (var cid in f.BlocksInProof)
            Assert.True(proof.Contains(cid), $"{f.Comment}: proof lacks {cid}");
        // Same selection rules as the reference: the proof is exactly the fixture's set.
        Assert.Equal(f.BlocksInProof.OrderBy(c => c).ToArray(), proof.Cids.OrderBy(c => c).ToArray());

        // Invert on a tree that has only the proof blocks, in every order of the inverse operations.
        var inverses = f.Adds.Select(k => (Delete: true, Key: k)).Concat(f.Dels.Select(k => (Delete: false, Key: k))).ToArray();
        foreach (var order in Permutations(inverses))
        {
            var partial = MstTree.Load(proof, f.After);
            foreach (var (delete, key) in order)
            {
                if (delete)
                    Assert.Equal(f.Leaf, partial.Delete(key));
                else
                    partial.Add(key, f.Leaf);
            }
            Assert.Equal(f.Before, partial.ComputeRoot());
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PartialTreeNeverGivesAWrongRoot(int index)
    {
        // Drop each proof block in turn: inversion must either still find rootBeforeCommit or report the missing block.
        var f = Load()[index];
        var tree = MstTree.Create();
        foreach (var k in f.Keys.Concat(f.Adds).Except(f.Dels))
            tree.Add(k, f.Leaf);
        Assert.Equal(f.After, tree.ComputeRoot());
        var proof = new BlockMap();
        foreach (var k in f.Adds.Concat(f.Dels))
            tree.CollectCoveringProof(k, proof);
        int missing = 0;
        foreach (var dropped in proof.Cids.ToArray())
        {
            var partialBlocks = new BlockMap();
            foreach (var (cid, block) in proof)
            {
                if (cid != dropped)
                    partialBlocks.Add(cid, block);
            }
            var partial = MstTree.Load(partialBlocks, f.After);
            try
            {
                foreach (var k in f.Adds)
                    partial.Delete(k);
                foreach (var k in f.Dels)
                    partial.Add(k, f.Leaf);
                Assert.Equal(f.Before, partial.ComputeRoot());
            }
            catch (MstMissingBlockException ex)
            {
                Assert.Equal(dropped, ex.Cid);
                missing++;
            }
        }
        // Dropping the root block always fails.
        Assert.True(missing >= 1);
    }

    private static IEnumerable<T[]> Permutations<T>(T[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }
        for (int i = 0; i < items.Length; i++)
        {
            var rest = items.Where((_, j) => j != i).ToArray();
            foreach (var p in Permutations(rest))
                yield return [items[i], .. p];
        }
    }
}
