using Alteran.Protocol.Mst;
using Alteran.Protocol.Repo;
using MstTree = Alteran.Protocol.Mst.Mst;

namespace Alteran.Protocol.Tests.Mst;

/// <summary>Seeded, bounded randomized checks of the tree against a sorted dictionary model.</summary>
public sealed class MstPropertyTests
{
    private static readonly string[] Collections = ["app.bsky.feed.post", "app.bsky.feed.like", "app.bsky.graph.follow", "com.example.record"];
    private const string TidChars = "234567abcdefghijklmnopqrstuvwxyz";

    internal static string RandomKey(Random rng)
    {
        Span<char> rkey = stackalloc char[13];
        rkey[0] = TidChars[rng.Next(16)];
        for (int i = 1; i < 13; i++)
            rkey[i] = TidChars[rng.Next(32)];
        return Collections[rng.Next(Collections.Length)] + "/" + rkey.ToString();
    }

    private static SortedDictionary<string, Cid> RandomRecords(Random rng, int count)
    {
        var map = new SortedDictionary<string, Cid>(StringComparer.Ordinal);
        int n = 0;
        while (map.Count < count)
            map[RandomKey(rng)] = MstFixtures.RecordCid(n++);
        return map;
    }

    private static MstTree Build(IEnumerable<KeyValuePair<string, Cid>> records, BlockMap? blocks = null)
    {
        var tree = MstTree.Create();
        foreach (var (k, v) in records)
            tree.Add(k, v);
        tree.ComputeRoot(blocks);
        return tree;
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(3, 17)]
    [InlineData(4, 300)]
    [InlineData(5, 1500)]
    public void SameRecordsGiveSameRootInAnyOrder(int seed, int count)
    {
        var rng = new Random(seed);
        var records = RandomRecords(rng, count).ToArray();
        Cid expected = Build(records).Root;
        for (int round = 0; round < 3; round++)
        {
            rng.Shuffle(records);
            Assert.Equal(expected, Build(records).Root);
        }
        // Upserts in random order with intermediate hashing give the same root too.
        var tree = MstTree.Create();
        rng.Shuffle(records);
        for (int i = 0; i < records.Length; i++)
        {
            Assert.Null(tree.Put(records[i].Key, records[i].Value));
            if (i % 97 == 0)
                tree.ComputeRoot();
        }
        Assert.Equal(expected, tree.ComputeRoot());
    }

    [Theory]
    [InlineData(10, 200, 20)]
    [InlineData(11, 1000, 50)]
    [InlineData(12, 5, 5)]
    public void InsertThenDeleteRestoresRoot(int seed, int count, int extra)
    {
        var rng = new Random(seed);
        var records = RandomRecords(rng, count);
        var blocks = new BlockMap();
        var built = Build(records, blocks);
        Cid root = built.Root;

        // On a lazily loaded copy, so the path loading is exercised too.
        var tree = MstTree.Load(blocks, root);
        var added = new List<string>();
        while (added.Count < extra)
        {
            string k = RandomKey(rng);
            if (records.ContainsKey(k) || added.Contains(k))
                continue;
            tree.Add(k, MstFixtures.RecordCid(-1 - added.Count));
            added.Add(k);
        }
        Assert.NotEqual(root, tree.ComputeRoot());
        rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(added));
        foreach (var k in added)
            Assert.NotNull(tree.Delete(k));
        var again = new BlockMap();
        var gone = new HashSet<Cid>();
        Assert.Equal(root, tree.ComputeRoot(again, gone));
        // Back to the stored tree: nothing is new, and the nodes of the intermediate state are gone.
        Assert.True(again.Cids.All(c => blocks.Contains(c)));
        Assert.DoesNotContain(gone, c => blocks.Contains(c));

        // Insert and delete between two hashes: the rebuilt nodes are neither new nor removed.
        var k2 = added[0];
        tree.Add(k2, MstFixtures.RecordCid(-99));
        tree.Delete(k2);
        var none = new BlockMap();
        var noneGone = new HashSet<Cid>();
        Assert.Equal(root, tree.ComputeRoot(none, noneGone));
        Assert.Empty(none);
        Assert.Empty(noneGone);

        // Deleting existing keys and putting them back also restores the root.
        var existing = records.Keys.Where((_, i) => i % 7 == 0).ToArray();
        foreach (var k in existing)
            Assert.Equal(records[k], tree.Delete(k));
        Assert.Equal(records.Count - existing.Length, tree.Count());
        foreach (var k in existing)
            tree.Add(k, records[k]);
        Assert.Equal(root, tree.ComputeRoot());
    }

    [Theory]
    [InlineData(20, 400, 10)]
    [InlineData(21, 2000, 60)]
    [InlineData(22, 50, 50)]
    [InlineData(23, 0, 30)]
    public void DiffMatchesActualChanges(int seed, int count, int edits)
    {
        var rng = new Random(seed);
        var a = RandomRecords(rng, count);
        var b = new SortedDictionary<string, Cid>(a, StringComparer.Ordinal);
        var expected = new Dictionary<string, MstChange>();
        var keys = a.Keys.ToArray();
        for (int i = 0; i < edits; i++)
        {
            int what = keys.Length == 0 ? 0 : rng.Next(3);
            if (what == 0)
            {
                string k = RandomKey(rng);
                if (a.ContainsKey(k) || b.ContainsKey(k))
                    continue;
                b[k] = MstFixtures.RecordCid(100_000 + i);
                expected[k] = new(MstChangeKind.Create, k, b[k], null);
            }
            else
            {
                string k = keys[rng.Next(keys.Length)];
                if (expected.ContainsKey(k))
                    continue;
                if (what == 1)
                {
                    b[k] = MstFixtures.RecordCid(200_000 + i);
                    expected[k] = new(MstChangeKind.Update, k, b[k], a[k]);
                }
                else
                {
                    b.Remove(k);
                    expected[k] = new(MstChangeKind.Delete, k, null, a[k]);
                }
            }
        }

        var aBlocks = new BlockMap();
        var bBlocks = new BlockMap();
        Build(a, aBlocks);
        var bTree = Build(b, bBlocks);

        // The old tree comes from storage; the new one is the old one edited in memory.
        var store = new BlockMap();
        store.AddAll(aBlocks);
        var from = MstTree.Load(store, Build(a).Root);
        var to = MstTree.Load(store, from.Root);
        foreach (var c in expected.Values)
        {
            switch (c.Kind)
            {
                case MstChangeKind.Create: to.Add(c.Key, c.Cid!.Value); break;
                case MstChangeKind.Update: Assert.Equal(c.Prev, to.Update(c.Key, c.Cid!.Value)); break;
                default: Assert.Equal(c.Prev, to.Delete(c.Key)); break;
            }
        }
        var fresh = new BlockMap();
        var removed = new HashSet<Cid>();
        Assert.Equal(bTree.Root, to.ComputeRoot(fresh, removed));

        // New blocks from hashing: exactly what the new tree has and the old did not; removed nodes the reverse.
        var aNodes = aBlocks.Cids.ToHashSet();
        var bNodes = bBlocks.Cids.ToHashSet();
        var reallyNew = bNodes.Except(aNodes).ToHashSet();
        Assert.Equal(reallyNew.OrderBy(c => c).ToArray(), fresh.Cids.OrderBy(c => c).ToArray());
        Assert.Equal(aNodes.Except(bNodes).OrderBy(c => c).ToArray(), removed.OrderBy(c => c).ToArray());

        var diff = MstDiff.Compute(from, to);
        Assert.Equal(expected.Values.OrderBy(c => c.Key, StringComparer.Ordinal).ToArray(), diff.Changes.ToArray());
        Assert.Equal(reallyNew.OrderBy(c => c).ToArray(), diff.NewNodes.Cids.OrderBy(c => c).ToArray());
        Assert.Equal(aNodes.Except(bNodes).OrderBy(c => c).ToArray(), diff.RemovedNodes.OrderBy(c => c).ToArray());
        foreach (var (cid, block) in diff.NewNodes)
            Assert.True(cid.Matches(block.Span));

        // Reverse direction swaps creates and deletes.
        var back = MstDiff.Compute(to, from);
        Assert.Equal(diff.Changes.Count, back.Changes.Count);
        Assert.Equal(diff.NewNodes.Count, back.RemovedNodes.Count);

        // From nothing: every key is a create and every node is new.
        var all = MstDiff.Compute(null, bTree);
        Assert.Equal(b.Count, all.Changes.Count);
        Assert.All(all.Changes, c => Assert.Equal(MstChangeKind.Create, c.Kind));
        Assert.Equal(bNodes.OrderBy(c => c).ToArray(), all.NewNodes.Cids.OrderBy(c => c).ToArray());
    }

    [Theory]
    [InlineData(30, 0)]
    [InlineData(31, 1)]
    [InlineData(32, 700)]
    public void ListingIsSortedCompleteAndRespectsBounds(int seed, int count)
    {
        var rng = new Random(seed);
        var records = RandomRecords(rng, count);
        var blocks = new BlockMap();
        var tree = MstTree.Load(blocks, Build(records, blocks).Root);
        var sorted = records.ToArray();
        Assert.Equal(sorted.Select(r => new MstLeaf(r.Key, r.Value)).ToArray(), tree.List().ToArray());
        Assert.Equal(count, tree.Count());

        for (int round = 0; round < 40; round++)
        {
            string? after = rng.Next(4) == 0 ? null : (count > 0 && rng.Next(2) == 0 ? sorted[rng.Next(count)].Key : RandomKey(rng));
            string? before = rng.Next(4) == 0 ? null : (count > 0 && rng.Next(2) == 0 ? sorted[rng.Next(count)].Key : RandomKey(rng));
            int limit = rng.Next(3) == 0 ? int.MaxValue : rng.Next(1, 50);
            bool reverse = rng.Next(2) == 0;
            IEnumerable<KeyValuePair<string, Cid>> q = sorted.Where(r =>
                (after is null || string.CompareOrdinal(r.Key, after) > 0) && (before is null || string.CompareOrdinal(r.Key, before) < 0));
            if (reverse)
                q = q.Reverse();
            var want = q.Take(limit).Select(r => new MstLeaf(r.Key, r.Value)).ToArray();
            Assert.Equal(want, tree.List(after, before, limit, reverse).ToArray());
        }

        foreach (var collection in Collections)
        {
            var want = sorted.Where(r => r.Key.StartsWith(collection + "/", StringComparison.Ordinal)).Select(r => r.Key).ToArray();
            Assert.Equal(want, tree.ListPrefix(collection + "/").Select(l => l.Key).ToArray());
            Assert.Equal(want.Reverse().Take(5).ToArray(), tree.ListPrefix(collection + "/", 5, reverse: true).Select(l => l.Key).ToArray());
            if (want.Length > 3)
            {
                Assert.Equal(want.Skip(3).Take(4).ToArray(), tree.ListPrefix(collection + "/", 4, cursor: want[2]).Select(l => l.Key).ToArray());
                Assert.Equal(want.Take(2).Reverse().ToArray(), tree.ListPrefix(collection + "/", 4, reverse: true, cursor: want[2]).Select(l => l.Key).ToArray());
            }
        }
    }

    [Fact]
    public void GetPutUpdateDeleteFollowTheModel()
    {
        var rng = new Random(40);
        var model = new Dictionary<string, Cid>();
        var tree = MstTree.Create();
        var pool = Enumerable.Range(0, 150).Select(_ => RandomKey(rng)).Distinct().ToArray();
        for (int step = 0; step < 3000; step++)
        {
            string k = pool[rng.Next(pool.Length)];
            var v = MstFixtures.RecordCid(rng.Next(1000));
            switch (rng.Next(5))
            {
                case 0:
                    if (model.ContainsKey(k))
                        Assert.Throws<MstException>(() => tree.Add(k, v));
                    else
                    {
                        tree.Add(k, v);
                        model[k] = v;
                    }
                    break;
                case 1:
                    if (model.TryGetValue(k, out var old))
                    {
                        Assert.Equal(old, tree.Update(k, v));
                        model[k] = v;
                    }
                    else
                        Assert.Throws<MstException>(() => tree.Update(k, v));
                    break;
                case 2:
                    Assert.Equal(model.TryGetValue(k, out var o2) ? o2 : null, tree.Put(k, v));
                    model[k] = v;
                    break;
                case 3:
                    Assert.Equal(model.TryGetValue(k, out var o3) ? o3 : null, tree.Delete(k));
                    model.Remove(k);
                    break;
                default:
                    Assert.Equal(model.TryGetValue(k, out var o4) ? o4 : null, tree.Get(k));
                    break;
            }
            if (step % 250 == 0)
            {
                var expected = Build(model.OrderBy(kv => kv.Key, StringComparer.Ordinal)).Root;
                Assert.Equal(expected, tree.ComputeRoot());
            }
        }
        Assert.Equal(model.Count, tree.Count());
        Assert.Null(tree.Get("not/present"));
        Assert.Null(tree.Get("not a key"));
    }

    [Theory]
    [InlineData(50, 0)]
    [InlineData(51, 1)]
    [InlineData(52, 900)]
    public void CollectAllNodesGivesEveryNodeParentsFirst(int seed, int count)
    {
        var rng = new Random(seed);
        var records = RandomRecords(rng, count);
        var blocks = new BlockMap();
        var root = Build(records, blocks).Root;
        var all = new BlockMap();
        MstTree.Load(blocks, root).CollectAllNodes(all);
        Assert.Equal(blocks.Cids.OrderBy(c => c).ToArray(), all.Cids.OrderBy(c => c).ToArray());
        Assert.Equal(root, all.Cids.First());
        // Parents before children: every node after the first is referenced by an earlier one.
        var seen = new HashSet<Cid>();
        foreach (var (cid, block) in all)
        {
            Assert.True(cid.Matches(block.Span));
            if (seen.Count > 0)
                Assert.Contains(seen, parent => ContainsLink(all, parent, cid));
            seen.Add(cid);
        }
    }

    private static bool ContainsLink(BlockMap blocks, Cid parent, Cid child)
    {
        blocks.TryGetBlock(parent, out var block);
        var needle = child.ToBytes();
        return block.Span.IndexOf(needle) >= 0;
    }
}
