using System.Buffers;
using Alteran.Net.Repo;
using Alteran.Protocol;
using Alteran.Protocol.Repo;
using Alteran.Protocol.Sync;
using MstTree = Alteran.Protocol.Mst.Mst;
using static Alteran.Net.Tests.Repo.RepoTestData;

namespace Alteran.Net.Tests.Repo;

public sealed class RepoServiceTests
{
    [Fact]
    public async Task CreateRepo_commits_the_empty_tree_and_logs_commit_then_sync()
    {
        using var f = new RepoFixture();
        TestAccount a = await f.CreateAccountAsync();

        RepoHead head = f.Service.GetLatestCommit(a.Id)!.Value;
        Commit commit = Commit.Decode(f.Store.GetBlock(a.Id, head.Commit)!);
        Assert.True(commit.VerifySignature(a.Key.PublicKey));
        Assert.Equal(a.Did, commit.Did);
        Assert.Equal(head.Rev, commit.Rev);
        Assert.Equal(MstTree.Create().ComputeRoot(), commit.Data);

        List<FirehoseFrame> events = Events(f.Store);
        Assert.Equal(2, events.Count);
        CommitMessage c = events[0].Commit!;
        Assert.Equal(head.Commit, c.Commit);
        Assert.Equal(head.Rev, c.Rev);
        Assert.Null(c.Since);
        Assert.True(c.PrevData.IsEmpty);
        Assert.Empty(c.Ops);
        (Cid[] roots, BlockMap blocks) = ParseCar(c.Blocks.Span);
        Assert.Equal([head.Commit], roots);
        Assert.True(blocks.Contains(commit.Data)); // the empty MST node travels with the first commit
        SyncMessage s = events[1].Sync!;
        Assert.Equal(a.Did, s.Did);
        Assert.Equal(head.Rev, s.Rev);
        (roots, blocks) = ParseCar(s.Blocks.Span);
        Assert.Equal([head.Commit], roots);
        Assert.Single(blocks);

        var again = await Assert.ThrowsAsync<RepoWriteException>(() => f.Service.CreateRepoAsync(a.Id, a.Did, a.Key));
        Assert.Equal(RepoWriteError.RepoAlreadyExists, again.Error);
        await Assert.ThrowsAsync<ArgumentException>(() => f.Service.CreateRepoAsync(a.Id, "did:plc:someoneelse", a.Key));
        await Assert.ThrowsAsync<ArgumentException>(() => f.Service.CreateRepoAsync(a.Id + 100, a.Did, a.Key));
        Assert.Equal(2, Events(f.Store).Count);
    }

    [Fact]
    public async Task CreateRepo_without_announce_logs_nothing()
    {
        using var f = new RepoFixture();
        TestAccount a = await f.CreateAccountAsync(announce: false);
        Assert.Empty(Events(f.Store));
        Assert.NotNull(f.Service.GetLatestCommit(a.Id));
    }

    [Fact]
    public async Task ApplyWrites_on_a_missing_repo_is_RepoNotFound()
    {
        using var f = new RepoFixture();
        var key = Protocol.Crypto.PrivateKey.Generate(Protocol.Crypto.KeyAlgorithm.K256);
        var ex = await Assert.ThrowsAsync<RepoWriteException>(() =>
            f.Service.ApplyWritesAsync(7, key, [RepoWriteOp.Create(Posts, "3kabc", Record(Posts, "x"))]));
        Assert.Equal(RepoWriteError.RepoNotFound, ex.Error);
        Assert.Equal("RepoNotFound", ex.XrpcError);
    }

    /// <summary>
    /// Random creates, updates and deletes against a model. After every commit: reads match the model, the commit
    /// verifies and its data equals a tree rebuilt from the model; afterwards every logged event decodes, inverts
    /// to its prevData and chains since/rev/seq; the export holds exactly the live blocks.
    /// </summary>
    [Fact]
    public async Task Random_commits_match_a_model_and_their_events_invert()
    {
        using var f = new RepoFixture();
        TestAccount a = await f.CreateAccountAsync();
        var model = new SortedDictionary<string, (Cid Cid, byte[] Bytes)>(StringComparer.Ordinal);
        var rng = new Random(1234);
        var committed = new List<RepoCommitResult>();
        for (int round = 0; round < 40; round++)
        {
            var writes = new List<RepoWriteOp>();
            var touched = new HashSet<string>();
            int count = 1 + rng.Next(6);
            for (int i = 0; i < count; i++)
            {
                string collection = rng.Next(2) == 0 ? Posts : Likes;
                bool existing = model.Count > 0 && rng.Next(3) > 0;
                string path = existing ? PickKey(model, rng) : collection + "/" + "r" + rng.Next(100_000).ToString("D6");
                if (!touched.Add(path) || (!existing && model.ContainsKey(path)))
                    continue;
                string coll = path[..path.IndexOf('/')], rkey = path[(path.IndexOf('/') + 1)..];
                // Some records share bytes on purpose (the "dup" text): their block is shared.
                byte[] bytes = Record(coll, rng.Next(4) == 0 ? "dup" : "post " + round + "/" + i);
                RepoWriteOp op = !existing ? RepoWriteOp.Create(coll, rkey, bytes)
                    : rng.Next(2) == 0 ? RepoWriteOp.Put(coll, rkey, bytes) : RepoWriteOp.Delete(coll, rkey);
                writes.Add(op);
            }
            if (writes.Count == 0)
                continue;
            RepoCommitResult result = await f.Service.ApplyWritesAsync(a.Id, a.Key, writes);
            committed.Add(result);
            for (int i = 0; i < writes.Count; i++)
            {
                RepoWriteOp w = writes[i];
                string path = w.Collection + "/" + w.Rkey;
                Assert.Equal("at://" + a.Did + "/" + path, result.Results[i].Uri);
                if (w.Action == RepoWriteAction.Delete)
                {
                    Assert.Null(result.Results[i].Cid);
                    model.Remove(path);
                }
                else
                {
                    Assert.Equal(Cid.ForDagCbor(w.Record.Span), result.Results[i].Cid);
                    model[path] = (result.Results[i].Cid!.Value, w.Record.ToArray());
                }
            }
            CheckState(f, a, model, result);
        }

        // Events: one #commit per write commit, after the two of the repo creation.
        List<FirehoseFrame> events = Events(f.Store);
        Assert.Equal(committed.Count + 2, events.Count);
        string previousRev = events[0].Commit!.Rev;
        long previousSeq = events[1].Seq!.Value;
        for (int i = 0; i < committed.Count; i++)
        {
            FirehoseFrame frame = events[i + 2];
            CommitMessage c = frame.Commit!;
            Assert.Equal(committed[i].Seq, frame.Seq);
            Assert.True(frame.Seq > previousSeq);
            Assert.Equal(previousRev, c.Since);
            Assert.True(string.CompareOrdinal(c.Rev, previousRev) > 0);
            Assert.Equal(committed[i].Commit, c.Commit);
            (Cid[] roots, BlockMap blocks) = ParseCar(c.Blocks.Span);
            Assert.Equal([c.Commit], roots);
            Assert.True(blocks.TryGetBlock(c.Commit, out ReadOnlyMemory<byte> commitBlock));
            Commit commit = Commit.Decode(commitBlock.Span);
            Assert.True(commit.VerifySignature(a.Key.PublicKey));
            Assert.Equal(c.Rev, commit.Rev);
            foreach (RepoOpRef op in c.Ops)
                if (!op.Cid.IsEmpty)
                    Assert.True(blocks.Contains(op.Cid), "record block in the event");
            Assert.Equal(c.PrevData, CommitInversion.ComputePrevData(blocks, commit.Data, ToRepoOps(c.Ops)));
            previousRev = c.Rev;
            previousSeq = frame.Seq!.Value;
        }

        CheckExport(f, a, model, exact: true);
    }

    private static string PickKey(SortedDictionary<string, (Cid, byte[])> model, Random rng)
    {
        int skip = rng.Next(model.Count);
        foreach (string key in model.Keys)
            if (skip-- == 0)
                return key;
        throw new InvalidOperationException();
    }

    internal static void CheckState(RepoFixture f, TestAccount a, SortedDictionary<string, (Cid Cid, byte[] Bytes)> model, RepoCommitResult result)
    {
        RepoHead head = f.Service.GetLatestCommit(a.Id)!.Value;
        Assert.Equal(result.Commit, head.Commit);
        Assert.Equal(result.Rev, head.Rev);
        Commit commit = Commit.Decode(f.Store.GetBlock(a.Id, head.Commit)!);
        Assert.True(commit.VerifySignature(a.Key.PublicKey));
        var fresh = MstTree.Create();
        foreach (var kv in model)
            fresh.Add(kv.Key, kv.Value.Cid);
        Assert.Equal(fresh.ComputeRoot(), commit.Data);

        var collections = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var kv in model)
        {
            string coll = kv.Key[..kv.Key.IndexOf('/')], rkey = kv.Key[(kv.Key.IndexOf('/') + 1)..];
            collections.Add(coll);
            Assert.True(f.Service.TryGetRecord(a.Id, coll, rkey, out Cid cid, out byte[] value));
            Assert.Equal(kv.Value.Cid, cid);
            Assert.Equal(kv.Value.Bytes, value);
        }
        Assert.Equal([.. collections], f.Service.ListCollections(a.Id));
        foreach (string coll in collections)
        {
            var expected = new List<string>();
            foreach (var kv in model)
                if (kv.Key.StartsWith(coll + "/", StringComparison.Ordinal))
                    expected.Add(kv.Key[(coll.Length + 1)..]);
            // Pages of 3 forwards, and one reverse page.
            var listed = new List<string>();
            string? cursor = null;
            for (int page = 0; page < 1000; page++)
            {
                List<RepoRecord> records = f.Service.ListRecords(a.Id, coll, 3, cursor);
                foreach (RepoRecord r in records)
                {
                    listed.Add(r.Rkey);
                    Assert.Equal(model[coll + "/" + r.Rkey].Bytes, r.Value);
                }
                if (records.Count < 3)
                    break;
                cursor = records[^1].Rkey;
            }
            Assert.Equal(expected, listed);
            List<RepoRecord> reversed = f.Service.ListRecords(a.Id, coll, 1000, reverse: true);
            expected.Reverse();
            Assert.Equal(expected, reversed.ConvertAll(r => r.Rkey));
        }
    }

    /// <summary>
    /// Exports and verifies: root = head, every block hash, the MST rebuilt from the CAR lists exactly the model,
    /// every record present; with <paramref name="exact"/>, no block beyond the live ones (garbage collected).
    /// </summary>
    internal static void CheckExport(RepoFixture f, TestAccount a, SortedDictionary<string, (Cid Cid, byte[] Bytes)> model, bool exact)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.True(f.Service.ExportRepo(a.Id, output));
        (Cid[] roots, BlockMap blocks) = ParseCar(output.WrittenSpan);
        RepoHead head = f.Service.GetLatestCommit(a.Id)!.Value;
        Assert.Equal([head.Commit], roots);
        Assert.True(blocks.TryGetBlock(head.Commit, out ReadOnlyMemory<byte> commitBlock));
        Commit commit = Commit.Decode(commitBlock.Span);
        Assert.True(commit.VerifySignature(a.Key.PublicKey));
        var tree = MstTree.Load(blocks, commit.Data);
        var leaves = tree.List();
        Assert.Equal(model.Count, leaves.Count);
        var live = new BlockMap();
        tree.CollectAllNodes(live);
        live.Add(head.Commit, commitBlock);
        int i = 0;
        foreach (var kv in model)
        {
            Assert.Equal(kv.Key, leaves[i].Key);
            Assert.Equal(kv.Value.Cid, leaves[i].Value);
            Assert.True(blocks.TryGetBlock(kv.Value.Cid, out ReadOnlyMemory<byte> record));
            Assert.Equal(kv.Value.Bytes, record.ToArray());
            live.Add(kv.Value.Cid, record);
            i++;
        }
        if (exact)
            Assert.Equal(live.Count, blocks.Count);
    }
}
