using System.Buffers;
using System.IO.Pipelines;
using Alteran.Net.Repo;
using Alteran.Protocol;
using Alteran.Protocol.Repo;
using Alteran.Protocol.Sync;
using MstTree = Alteran.Protocol.Mst.Mst;
using static Alteran.Net.Tests.Repo.RepoTestData;

namespace Alteran.Net.Tests.Repo;

public sealed class RepoReadTests
{
    private static async Task<(RepoFixture, TestAccount, SortedDictionary<string, (Cid Cid, byte[] Bytes)>)> Populated(int records, RepoServiceOptions? options = null)
    {
        var f = new RepoFixture(options);
        TestAccount a = await f.CreateAccountAsync();
        var model = new SortedDictionary<string, (Cid, byte[])>(StringComparer.Ordinal);
        var batch = new List<RepoWriteOp>();
        for (int i = 0; i < records; i++)
        {
            string coll = i % 3 == 0 ? Likes : Posts;
            byte[] bytes = Record(coll, "record " + i);
            batch.Add(RepoWriteOp.Create(coll, "k" + i.ToString("D5"), bytes));
            model[coll + "/k" + i.ToString("D5")] = (Cid.ForDagCbor(bytes), bytes);
            if (batch.Count == 100)
            {
                await f.Service.ApplyWritesAsync(a.Id, a.Key, batch);
                batch.Clear();
            }
        }
        if (batch.Count > 0)
            await f.Service.ApplyWritesAsync(a.Id, a.Key, batch);
        return (f, a, model);
    }

    [Fact]
    public async Task Export_through_a_pipe_verifies()
    {
        (RepoFixture f, TestAccount a, var model) = await Populated(1000);
        using (f)
        {
            var stream = new MemoryStream();
            PipeWriter pipe = PipeWriter.Create(stream);
            Assert.True(await f.Service.ExportRepoAsync(a.Id, pipe, flushBytes: 4096));
            await pipe.CompleteAsync();
            (Cid[] roots, BlockMap blocks) = ParseCar(stream.ToArray());
            Assert.Equal([f.Service.GetLatestCommit(a.Id)!.Value.Commit], roots);
            var tree = MstTree.Load(blocks, Commit.Decode(((ReadOnlyMemory<byte>)blocks.TryGetBlockOrThrow(roots[0])).Span).Data);
            Assert.Equal(model.Count, tree.Count());
            RepoServiceTests.CheckExport(f, a, model, exact: true);

            Assert.False(await f.Service.ExportRepoAsync(999, PipeWriter.Create(new MemoryStream())));
        }
    }

    [Fact]
    public async Task Record_proofs_prove_inclusion_and_exclusion()
    {
        (RepoFixture f, TestAccount a, var model) = await Populated(300);
        using (f)
        {
            foreach (string path in new[] { Posts + "/k00001", Likes + "/k00000", Posts + "/k00299", Posts + "/zzz", Likes + "/a" })
            {
                string coll = path[..path.IndexOf('/')], rkey = path[(path.IndexOf('/') + 1)..];
                var output = new ArrayBufferWriter<byte>();
                Assert.True(f.Service.WriteRecordProof(a.Id, coll, rkey, output));
                (Cid[] roots, BlockMap blocks) = ParseCar(output.WrittenSpan);
                Assert.True(blocks.TryGetBlock(roots[0], out ReadOnlyMemory<byte> commitBlock));
                Commit commit = Commit.Decode(commitBlock.Span);
                Assert.True(commit.VerifySignature(a.Key.PublicKey));
                // The proof alone (a partial tree) answers the lookup; a missing node would throw.
                var tree = MstTree.Load(blocks, commit.Data);
                bool present = tree.TryGet(path, out Cid cid);
                Assert.Equal(model.ContainsKey(path), present);
                if (present)
                {
                    Assert.Equal(model[path].Cid, cid);
                    Assert.True(blocks.Contains(cid));
                }
                Assert.True(blocks.Count < 12, "a proof is a path, not the tree");
            }
            Assert.False(f.Service.WriteRecordProof(999, Posts, "x", new ArrayBufferWriter<byte>()));
        }
    }

    [Fact]
    public async Task GetBlocks_writes_all_or_reports_the_missing()
    {
        (RepoFixture f, TestAccount a, var model) = await Populated(10);
        using (f)
        {
            var cids = new List<Cid>();
            foreach (var kv in model)
                cids.Add(kv.Value.Cid);
            cids.Add(f.Service.GetLatestCommit(a.Id)!.Value.Commit);
            var output = new ArrayBufferWriter<byte>();
            Assert.Empty(f.Service.WriteBlocks(a.Id, cids.ToArray(), output));
            (Cid[] roots, BlockMap blocks) = ParseCar(output.WrittenSpan);
            Assert.Empty(roots);
            Assert.Equal(cids, blocks.Cids);

            Cid absent = Cid.ForDagCbor([0xa0]);
            cids.Add(absent);
            var none = new ArrayBufferWriter<byte>();
            Assert.Equal([absent], f.Service.WriteBlocks(a.Id, cids.ToArray(), none));
            Assert.Equal(0, none.WrittenCount);
        }
    }

    [Fact]
    public async Task Oversized_commit_goes_out_as_sync()
    {
        (RepoFixture f, TestAccount a, _) = await Populated(0);
        using (f)
        {
            var writes = new List<RepoWriteOp>();
            for (int i = 0; i < FirehoseLimits.MaxCommitOps + 1; i++)
                writes.Add(RepoWriteOp.Create(Posts, "b" + i.ToString("D4"), Record(Posts, "bulk " + i)));
            RepoCommitResult big = await f.Service.ApplyWritesAsync(a.Id, a.Key, writes);
            Assert.True(big.EmittedSync);
            FirehoseFrame e = Events(f.Store, big.Seq - 1)[0];
            SyncMessage sync = e.Sync!;
            Assert.Equal(big.Rev, sync.Rev);
            (Cid[] roots, BlockMap blocks) = ParseCar(sync.Blocks.Span);
            Assert.Equal([big.Commit], roots);
            Assert.Single(blocks);

            // The next small commit is a normal #commit whose since is the #sync's rev.
            RepoCommitResult small = await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Delete(Posts, "b0000")]);
            Assert.False(small.EmittedSync);
            Assert.Equal(big.Rev, Events(f.Store, small.Seq - 1)[0].Commit!.Since);

            // Few ops but over 2,000,000 bytes of blocks: #sync too.
            RepoCommitResult heavy = await f.Service.ApplyWritesAsync(a.Id, a.Key,
            [
                RepoWriteOp.Create(Posts, "h1", Record(Posts, new string('a', 900_000))),
                RepoWriteOp.Create(Posts, "h2", Record(Posts, new string('b', 900_000))),
                RepoWriteOp.Create(Posts, "h3", Record(Posts, new string('c', 900_000))),
            ]);
            Assert.True(heavy.EmittedSync);
            Assert.Equal(heavy.Rev, Events(f.Store, heavy.Seq - 1)[0].Sync!.Rev);
        }
    }

    [Fact]
    public async Task Event_sink_receives_the_stored_frames()
    {
        var sink = new RecordingSink();
        (RepoFixture f, TestAccount a, _) = await Populated(250, new RepoServiceOptions { EventSink = sink });
        using (f)
        {
            await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Delete(Posts, "k00001")]);
            using var cursor = f.Store.ReadEvents(0);
            int n = 0;
            while (cursor.MoveNext())
            {
                Assert.True(sink.Frames.TryGetValue(cursor.Seq, out byte[]? published));
                Assert.Equal(cursor.Frame.ToArray(), published);
                n++;
            }
            Assert.Equal(n, sink.Frames.Count);
            Assert.Equal(2 + 3 + 1, n); // commit + sync at creation, three batches, one delete
        }
    }

    private sealed class RecordingSink : IRepoEventSink
    {
        public readonly System.Collections.Concurrent.ConcurrentDictionary<long, byte[]> Frames = new();

        public void Publish(long seq, ReadOnlySpan<byte> frame) => Assert.True(Frames.TryAdd(seq, frame.ToArray()));
    }
}

internal static class BlockMapTestExtensions
{
    public static ReadOnlyMemory<byte> TryGetBlockOrThrow(this BlockMap blocks, Cid cid) =>
        blocks.TryGetBlock(cid, out ReadOnlyMemory<byte> block) ? block : throw new InvalidOperationException($"missing {cid}");
}
