using Alteran.Protocol;
using Alteran.Storage.Blocks;
using Alteran.Storage.Records;
using Alteran.Storage.Repos;

namespace Alteran.Storage.Tests.Repos;

public class ReadTests
{
    private static async Task<TempStore> Seeded()
    {
        var t = new TempStore();
        var c = new PreparedCommit { AccountId = 7, Commit = Cid.ForDagCbor("c"u8), Rev = Commits.Rev(1) };
        c.AddBlock(c.Commit, "c"u8.ToArray());
        for (int i = 0; i < 10; i++)
            c.PutRecord("app.test.b", $"k{i}", Cid.ForDagCbor(new[] { (byte)i }));
        c.PutRecord("app.test.a", "only", Cid.ForDagCbor("a"u8));
        c.PutRecord("app.test.c", "x", Cid.ForDagCbor("x"u8));
        await t.Store.ApplyCommitAsync(c);
        // A neighbouring account and a collection sharing a name prefix must not leak into listings.
        var other = new PreparedCommit { AccountId = 8, Commit = Cid.ForDagCbor("d"u8), Rev = Commits.Rev(1) };
        other.PutRecord("app.test.b", "k5", Cid.ForDagCbor("o"u8));
        other.PutRecord("app.test.bb", "k0", Cid.ForDagCbor("o"u8));
        await t.Store.ApplyCommitAsync(other);
        var third = new PreparedCommit { AccountId = 7, Commit = Cid.ForDagCbor("e"u8), Rev = Commits.Rev(2) };
        third.PutRecord("app.test.bb", "z", Cid.ForDagCbor("z"u8));
        await t.Store.ApplyCommitAsync(third);
        return t;
    }

    private static List<string> Drain(RecordCursor cursor)
    {
        using (cursor)
        {
            var list = new List<string>();
            while (cursor.MoveNext()) list.Add(cursor.RkeyString);
            return list;
        }
    }

    [Fact]
    public async Task ListRecords_orders_pages_and_reverses()
    {
        using TempStore t = await Seeded();
        AlteranStore s = t.Store;
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"k{i}"), Drain(s.ListRecords(7, "app.test.b")));
        Assert.Equal(new[] { "k9", "k8", "k7" }, Drain(s.ListRecords(7, "app.test.b", descending: true, limit: 3)));
        Assert.Equal(new[] { "k4", "k5" }, Drain(s.ListRecords(7, "app.test.b", after: "k3", limit: 2)));
        Assert.Equal(new[] { "k2", "k1", "k0" }, Drain(s.ListRecords(7, "app.test.b", after: "k3", descending: true)));
        Assert.Equal(new[] { "k5" }, Drain(s.ListRecords(7, "app.test.b", after: "k45", limit: 1))); // cursor need not exist
        Assert.Empty(Drain(s.ListRecords(7, "app.test.b", after: "k9")));
        Assert.Empty(Drain(s.ListRecords(7, "app.test.none")));
        Assert.Equal(new[] { "z" }, Drain(s.ListRecords(7, "app.test.bb")));
        Assert.Equal(new[] { "k5" }, Drain(s.ListRecords(8, "app.test.b")));

        using RecordCursor c = s.ListRecords(7, "app.test.b", limit: 1);
        Assert.True(c.MoveNext());
        Assert.Equal(Cid.ForDagCbor(new byte[] { 0 }), c.Cid);
        Assert.False(c.MoveNext());
    }

    [Fact]
    public async Task ListCollections_skips_through_collections()
    {
        using TempStore t = await Seeded();
        Assert.Equal(new[] { "app.test.a", "app.test.b", "app.test.bb", "app.test.c" }, t.Store.ListCollections(7));
        Assert.Equal(new[] { "app.test.b", "app.test.bb" }, t.Store.ListCollections(8));
        Assert.Empty(t.Store.ListCollections(9));
    }

    private struct Collect : IBlockVisitor
    {
        public List<(int, Cid, bool, byte[])> Seen;

        public void Visit(int index, in Cid cid, bool found, ReadOnlySpan<byte> data) => Seen.Add((index, cid, found, data.ToArray()));
    }

    [Fact]
    public async Task GetBlocks_returns_each_in_request_order()
    {
        using var t = new TempStore();
        var c = new PreparedCommit { AccountId = 1, Commit = Cid.ForDagCbor("c"u8), Rev = Commits.Rev(1) };
        var cids = new List<Cid>();
        for (int i = 0; i < 150; i++)
        {
            byte[] b = BitConverter.GetBytes(i);
            Cid cid = Cid.ForDagCbor(b);
            cids.Add(cid);
            c.AddBlock(cid, b);
        }
        await t.Store.ApplyCommitAsync(c);
        cids.Insert(70, Cid.ForDagCbor("missing"u8));
        var v = new Collect { Seen = new() };
        t.Store.GetBlocks(1, cids.ToArray(), ref v);
        Assert.Equal(151, v.Seen.Count);
        for (int i = 0; i < 151; i++)
        {
            Assert.Equal(i, v.Seen[i].Item1);
            Assert.Equal(cids[i], v.Seen[i].Item2);
            Assert.Equal(i != 70, v.Seen[i].Item3);
            if (i != 70) Assert.True(cids[i].Matches(v.Seen[i].Item4));
        }
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        Assert.True(t.Store.TryGetBlock(1, cids[0], buffer));
        Assert.True(cids[0].Matches(buffer.WrittenSpan));
        Assert.True(t.Store.HasBlock(1, cids[0]));
        Assert.False(t.Store.HasBlock(2, cids[0]));
    }

    [Fact]
    public async Task StreamRepoBlocks_yields_exactly_the_accounts_blocks_from_a_snapshot()
    {
        using var t = new TempStore();
        var expected = new HashSet<Cid>();
        for (long account = 1; account <= 3; account++)
        {
            var c = new PreparedCommit { AccountId = account, Commit = Cid.ForDagCbor(BitConverter.GetBytes(account)), Rev = Commits.Rev(1) };
            for (int i = 0; i < 100; i++)
            {
                byte[] b = BitConverter.GetBytes(account * 1000 + i);
                Cid cid = Cid.ForDagCbor(b);
                c.AddBlock(cid, b);
                if (account == 2) expected.Add(cid);
            }
            await t.Store.ApplyCommitAsync(c);
        }
        using RepoBlockCursor cursor = t.Store.StreamRepoBlocks(2);
        // Written after the cursor opened: must not appear (snapshot).
        var late = new PreparedCommit { AccountId = 2, Commit = Cid.ForDagCbor("late"u8), Rev = Commits.Rev(1) };
        late.AddBlock(Cid.ForDagCbor("late"u8), "late"u8.ToArray());
        await t.Store.ApplyCommitAsync(late);
        var seen = new HashSet<Cid>();
        while (cursor.MoveNext())
        {
            Cid cid = cursor.Cid;
            Assert.True(cid.Matches(cursor.Data));
            Assert.True(seen.Add(cid));
        }
        Assert.True(expected.SetEquals(seen));
    }
}
