using System.Buffers;
using Alteran.Net.Repo;
using Alteran.Protocol;
using Alteran.Protocol.Repo;
using Alteran.Protocol.Sync;
using Alteran.Storage;
using MstTree = Alteran.Protocol.Mst.Mst;
using static Alteran.Net.Tests.Repo.RepoTestData;

namespace Alteran.Net.Tests.Repo;

/// <summary>
/// Crash consistency at batch boundaries: RocksDB checkpoints taken while writers run are exactly what a crash at
/// that instant would leave (every synced batch, nothing partial). Each one must open as a consistent set of repos:
/// record index = MST, no missing or stray blocks, the last logged event names the head, and writing continues.
/// </summary>
public sealed class RepoCrashConsistencyTests
{
    [Fact]
    public async Task Checkpoints_taken_under_load_are_consistent_repos()
    {
        using var f = new RepoFixture();
        var accounts = new[] { await f.CreateAccountAsync(), await f.CreateAccountAsync() };
        using var stop = new CancellationTokenSource();
        var writers = new List<Task>();
        for (int w = 0; w < 4; w++)
        {
            TestAccount a = accounts[w % 2];
            int seed = w;
            writers.Add(Task.Run(async () =>
            {
                var rng = new Random(seed);
                for (int i = 0; i < 20_000 && !stop.IsCancellationRequested; i++) // until the checkpoints are taken
                {
                    string rkey = "w" + seed + "-" + rng.Next(30);
                    byte[] bytes = Record(Posts, rng.Next(3) == 0 ? "dup" : "v" + i);
                    RepoWriteOp op = rng.Next(3) == 0 ? RepoWriteOp.Delete(Posts, rkey) : RepoWriteOp.Put(Posts, rkey, bytes);
                    try
                    {
                        await f.Service.ApplyWritesAsync(a.Id, a.Key, [op]);
                    }
                    catch (RepoWriteException ex) when (ex.Error == RepoWriteError.RecordNotFound)
                    {
                        // deleting an absent record: refused, nothing written
                    }
                }
            }));
        }

        var checkpoints = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            await Task.Delay(150);
            string dir = Path.Combine(f.Directory, "checkpoint-" + i);
            f.Store.CreateCheckpoint(dir);
            checkpoints.Add(dir);
        }
        stop.Cancel();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(120));
        checkpoints.Add(f.Directory + "-final");
        f.Store.CreateCheckpoint(checkpoints[^1]);

        foreach (string dir in checkpoints)
        {
            try
            {
                using AlteranStore store = AlteranStore.Open(dir, RepoFixture.StoreOptions);
                var service = new RepoService(store);
                foreach (TestAccount a in accounts)
                {
                    VerifyRepo(store, service, a);
                    // The restored repo takes new commits.
                    RepoHead before = service.GetLatestCommit(a.Id)!.Value;
                    RepoCommitResult next = await service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Put(Likes, "after", Record(Likes, dir))]);
                    Assert.True(string.CompareOrdinal(next.Rev, before.Rev) > 0);
                    VerifyRepo(store, service, a);
                }
            }
            finally
            {
                try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
            }
        }
    }

    private static void VerifyRepo(AlteranStore store, RepoService service, TestAccount a)
    {
        RepoHead head = service.GetLatestCommit(a.Id)!.Value;
        var output = new ArrayBufferWriter<byte>();
        Assert.True(service.ExportRepo(a.Id, output));
        (Cid[] roots, BlockMap blocks) = ParseCar(output.WrittenSpan);
        Assert.Equal([head.Commit], roots);
        Assert.True(blocks.TryGetBlock(head.Commit, out ReadOnlyMemory<byte> commitBlock));
        Commit commit = Commit.Decode(commitBlock.Span);
        Assert.True(commit.VerifySignature(a.Key.PublicKey));
        Assert.Equal(head.Rev, commit.Rev);

        var tree = MstTree.Load(blocks, commit.Data);
        var live = new BlockMap();
        tree.CollectAllNodes(live);
        live.Add(head.Commit, commitBlock);
        var indexed = new List<(string, Cid)>();
        foreach (string collection in service.ListCollections(a.Id))
            foreach (RepoRecord r in service.ListRecords(a.Id, collection, 1000))
                indexed.Add((collection + "/" + r.Rkey, r.Cid));
        var leaves = tree.List();
        Assert.Equal(indexed.Count, leaves.Count);
        for (int i = 0; i < leaves.Count; i++)
        {
            Assert.Equal(indexed[i], (leaves[i].Key, leaves[i].Value));
            Assert.True(blocks.TryGetBlock(leaves[i].Value, out ReadOnlyMemory<byte> record));
            live.Add(leaves[i].Value, record);
        }
        Assert.Equal(live.Count, blocks.Count); // nothing stray, nothing missing

        // The newest event of this repo describes the head.
        CommitMessage? last = null;
        foreach (FirehoseFrame e in Events(store))
            if (e.Commit is { } c && c.Repo == a.Did)
                last = c;
        Assert.NotNull(last);
        Assert.Equal(head.Commit, last.Commit);
        Assert.Equal(head.Rev, last.Rev);
    }
}
