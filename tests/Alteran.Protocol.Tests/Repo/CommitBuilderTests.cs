using Alteran.Protocol.Crypto;
using Alteran.Protocol.Mst;
using Alteran.Protocol.Repo;
using MstTree = Alteran.Protocol.Mst.Mst;

namespace Alteran.Protocol.Tests.Repo;

public sealed class CommitBuilderTests
{
    private const string Post = "app.bsky.feed.post";

    /// <summary>A repository kept in a block map, advanced commit by commit through the builder.</summary>
    private sealed class TestRepo(PrivateKey key)
    {
        public BlockMap Store { get; } = new();
        public HashSet<Cid> LiveNodes { get; } = new();
        public Cid? Data { get; private set; }
        public string? Rev { get; private set; }
        public long Clock { get; private set; }

        public CommitResult Apply(params RepoWrite[] writes)
        {
            var result = CommitBuilder.Build(new CommitInput(RepoTestData.Did, Data, Store, key, RepoTestData.Tid(++Clock), Rev), writes);
            Store.AddAll(result.NewBlocks);
            foreach (var cid in result.RemovedNodes)
                Assert.True(LiveNodes.Remove(cid));
            foreach (var (cid, _) in result.NewBlocks)
            {
                if (cid != result.CommitCid && !result.Ops.Any(op => op.Cid == cid))
                    Assert.True(LiveNodes.Add(cid));
            }
            Data = result.Data;
            Rev = result.Commit.Rev;
            return result;
        }
    }

    [Fact]
    public void GenesisAndFollowUpCommits()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.K256);
        var repo = new TestRepo(key);
        var model = new SortedDictionary<string, Cid>(StringComparer.Ordinal);

        var first = repo.Apply(RepoWrite.Create(Post, RepoTestData.Tid(100), RepoTestData.Post("hello")),
                               RepoWrite.Create("app.bsky.actor.profile", "self", RepoTestData.Post("profile")));
        Assert.Null(first.PrevData);
        Assert.Equal(2, first.Ops.Count);
        Assert.All(first.Ops, op => Assert.Equal(WriteAction.Create, op.Action));
        Assert.All(first.Ops, op => Assert.Null(op.Prev));
        foreach (var op in first.Ops)
            model[op.Path] = op.Cid!.Value;
        Assert.True(first.Commit.VerifySignature(key.PublicKey));
        Assert.Equal(first.CommitCid, Cid.ForDagCbor(first.CommitBytes));
        Assert.True(first.NewBlocks.Contains(first.CommitCid));
        Assert.All(first.Ops, op => Assert.True(first.NewBlocks.Contains(op.Cid!.Value)));
        Assert.Equal(first.Commit.Rev, Commit.Decode(first.CommitBytes).Rev);

        var rng = new Random(7);
        for (int round = 0; round < 30; round++)
        {
            var writes = new List<RepoWrite>();
            var used = new HashSet<string>();
            int n = rng.Next(1, 6);
            for (int i = 0; i < n; i++)
            {
                var existing = model.Keys.Where(k => !used.Contains(k)).ToArray();
                int what = existing.Length == 0 ? 0 : rng.Next(3);
                if (what == 0)
                {
                    string rkey = RepoTestData.Tid(10_000 + round * 10 + i);
                    writes.Add(RepoWrite.Create(Post, rkey, RepoTestData.Post($"post {round}.{i}")));
                    used.Add(Post + "/" + rkey);
                }
                else
                {
                    string path = existing[rng.Next(existing.Length)];
                    used.Add(path);
                    var parts = path.Split('/');
                    writes.Add(what == 1
                        ? RepoWrite.Update(parts[0], parts[1], RepoTestData.Post($"edit {round}.{i}"))
                        : RepoWrite.Delete(parts[0], parts[1]));
                }
            }
            Cid before = repo.Data!.Value;
            var result = repo.Apply([.. writes]);
            Assert.Equal(before, result.PrevData);
            Assert.True(result.Commit.VerifySignature(key.PublicKey));

            for (int i = 0; i < writes.Count; i++)
            {
                var op = result.Ops[i];
                Assert.Equal(writes[i].Path, op.Path);
                Assert.Equal(writes[i].Action, op.Action);
                switch (op.Action)
                {
                    case WriteAction.Create:
                        Assert.Null(op.Prev);
                        model[op.Path] = op.Cid!.Value;
                        break;
                    case WriteAction.Update:
                        Assert.Equal(model[op.Path], op.Prev);
                        model[op.Path] = op.Cid!.Value;
                        break;
                    default:
                        Assert.Equal(model[op.Path], op.Prev);
                        Assert.Null(op.Cid);
                        model.Remove(op.Path);
                        break;
                }
            }

            // The stored blocks hold the whole new tree, equal to one built from scratch.
            var loaded = MstTree.Load(repo.Store, result.Data);
            Assert.Equal(model.Select(kv => new MstLeaf(kv.Key, kv.Value)).ToArray(), loaded.ToList().ToArray());
            var fresh = MstTree.Create();
            foreach (var (k, v) in model)
                fresh.Add(k, v);
            var freshNodes = new BlockMap();
            Assert.Equal(fresh.ComputeRoot(freshNodes), result.Data);
            // New and removed nodes kept exact books: the live set is the tree's node set.
            Assert.Equal(freshNodes.Cids.OrderBy(c => c).ToArray(), repo.LiveNodes.OrderBy(c => c).ToArray());

            // Firehose check (sync v1.1): the event's blocks alone invert the ops back to prevData.
            Assert.Equal(before, CommitInversion.ComputePrevData(result.FirehoseBlocks, result.Data, result.Ops));
            Assert.True(result.FirehoseBlocks.Contains(result.CommitCid));
            foreach (var block in result.NewBlocks.Cids)
                Assert.True(result.FirehoseBlocks.Contains(block));
        }
    }

    [Fact]
    public void InvalidWritesFailClearly()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.K256);
        var repo = new TestRepo(key);
        string rkey = RepoTestData.Tid(1);
        repo.Apply(RepoWrite.Create(Post, rkey, RepoTestData.Post("x")));
        var data = repo.Data;

        Assert.Throws<RepoException>(() => repo.Apply(RepoWrite.Create(Post, rkey, RepoTestData.Post("again"))));
        Assert.Throws<RepoException>(() => repo.Apply(RepoWrite.Update(Post, RepoTestData.Tid(2), RepoTestData.Post("missing"))));
        Assert.Throws<RepoException>(() => repo.Apply(RepoWrite.Delete(Post, RepoTestData.Tid(3))));
        Assert.Throws<RepoException>(() => repo.Apply(RepoWrite.Update(Post, rkey, RepoTestData.Post("a")), RepoWrite.Delete(Post, rkey)));
        Assert.Throws<RepoException>(() => repo.Apply(RepoWrite.Create(Post, RepoTestData.Tid(4), new byte[] { 0xa1, 0x61, 0x61 })));
        Assert.Equal(data, repo.Data);

        Assert.Throws<ArgumentException>(() => RepoWrite.Create("not an nsid", "x", RepoTestData.Post("x")));
        Assert.Throws<ArgumentException>(() => RepoWrite.Create(Post, "..", RepoTestData.Post("x")));
        Assert.Throws<ArgumentException>(() => RepoWrite.Create(Post, "ok", ReadOnlyMemory<byte>.Empty));

        // Rev must increase.
        var stale = new CommitInput(RepoTestData.Did, repo.Data, repo.Store, key, repo.Rev!, repo.Rev);
        Assert.Throws<RepoException>(() => CommitBuilder.Build(stale, [RepoWrite.Delete(Post, rkey)]));
    }

    [Fact]
    public void RecordGivenByCidIsNotABlockOfTheCommit()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.K256);
        var repo = new TestRepo(key);
        var recordCid = Cid.ForDagCbor(RepoTestData.Post("stored elsewhere"));
        var result = repo.Apply(RepoWrite.Create(Post, RepoTestData.Tid(1), recordCid));
        Assert.Equal(recordCid, result.Ops[0].Cid);
        Assert.False(result.NewBlocks.Contains(recordCid));
    }

    [Fact]
    public void InversionRejectsOpsThatDoNotMatch()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.K256);
        var repo = new TestRepo(key);
        repo.Apply(RepoWrite.Create(Post, RepoTestData.Tid(1), RepoTestData.Post("a")));
        var result = repo.Apply(RepoWrite.Create(Post, RepoTestData.Tid(2), RepoTestData.Post("b")));
        var op = result.Ops[0];
        var wrongCid = new[] { op with { Cid = Cid.ForDagCbor([0x01]) } };
        Assert.Throws<RepoException>(() => CommitInversion.ComputePrevData(result.FirehoseBlocks, result.Data, wrongCid));
        var wrongAction = new[] { op with { Action = WriteAction.Delete, Prev = op.Cid } };
        Assert.Throws<RepoException>(() => CommitInversion.ComputePrevData(result.FirehoseBlocks, result.Data, wrongAction));
        // Claiming a different previous root is caught by comparing: the inversion gives the true one.
        Assert.Equal(result.PrevData, CommitInversion.ComputePrevData(result.FirehoseBlocks, result.Data, result.Ops));
    }

    [Theory]
    [MemberData(nameof(Alteran.Protocol.Tests.Mst.CommitProofFixtureTests.Cases), MemberType = typeof(Alteran.Protocol.Tests.Mst.CommitProofFixtureTests))]
    public void FixtureCommitsThroughTheBuilder(int index)
    {
        // The commit-proof fixtures as real commits: the firehose block set covers blocksInProof and inverts.
        var f = Alteran.Protocol.Tests.Mst.CommitProofFixtureTests.Load()[index];
        var store = new BlockMap();
        var tree = MstTree.Create();
        foreach (var k in f.Keys)
            tree.Add(k, f.Leaf);
        Assert.Equal(f.Before, tree.ComputeRoot(store));
        // Fixture keys are not NSID/rkey shaped (e.g. "A0/374913" has a one-segment collection), so feed the
        // builder's MST half directly through RepoOps and check the block set the builder's rule yields.
        var after = MstTree.Load(store, f.Before);
        var ops = new List<RepoOp>();
        foreach (var k in f.Adds)
        {
            after.Add(k, f.Leaf);
            ops.Add(new RepoOp(WriteAction.Create, k, f.Leaf, null));
        }
        foreach (var k in f.Dels)
        {
            Assert.Equal(f.Leaf, after.Delete(k));
            ops.Add(new RepoOp(WriteAction.Delete, k, null, f.Leaf));
        }
        var blocks = new BlockMap();
        Assert.Equal(f.After, after.ComputeRoot(blocks));
        foreach (var op in ops)
            after.CollectCoveringProof(op.Path, blocks);
        foreach (var cid in f.BlocksInProof)
            Assert.True(blocks.Contains(cid));
        Assert.Equal(f.Before, CommitInversion.ComputePrevData(blocks, f.After, ops));
    }
}
