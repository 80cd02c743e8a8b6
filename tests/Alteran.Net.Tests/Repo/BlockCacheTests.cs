using Alteran.Net.Repo;
using Alteran.Protocol;
using static Alteran.Net.Tests.Repo.RepoTestData;

namespace Alteran.Net.Tests.Repo;

public sealed class BlockCacheTests
{
    [Fact]
    public void Cache_stays_within_its_budget()
    {
        var cache = new BlockCache(10_000);
        for (int i = 0; i < 100; i++)
        {
            byte[] block = new byte[1000];
            block[0] = (byte)i;
            Cid cid = Cid.ForRaw(block);
            cache.Add(cid, block);
            Assert.True(cache.TryGet(cid, out byte[] back));
            Assert.Same(block, back);
            Assert.InRange(cache.Bytes, 1000, 10_000);
        }
        var big = new byte[2000]; // over an eighth of the budget: not cached
        cache.Add(Cid.ForRaw(big), big);
        Assert.False(cache.TryGet(Cid.ForRaw(big), out _));
        Assert.False(new BlockCache(0).TryGet(Cid.ForRaw(big), out _));
    }

    [Fact]
    public async Task Store_block_source_reads_the_account_blocks()
    {
        using var f = new RepoFixture();
        TestAccount a = await f.CreateAccountAsync();
        TestAccount b = await f.CreateAccountAsync();
        Cid head = f.Service.GetLatestCommit(a.Id)!.Value.Commit;
        var source = new StoreBlockSource(f.Store, a.Id);
        Assert.True(source.TryGetBlock(head, out ReadOnlyMemory<byte> block));
        Assert.Equal(head, Cid.ForDagCbor(block.Span));
        Assert.False(new StoreBlockSource(f.Store, b.Id).TryGetBlock(head, out _)); // blocks are per account
        Assert.Equal(1, source.StoreReads);
    }

    [Fact]
    public async Task Warm_commits_read_no_tree_blocks_from_the_store()
    {
        using var f = new RepoFixture();
        TestAccount a = await f.CreateAccountAsync();
        var first = new List<RepoWriteOp>();
        for (int i = 0; i < 50; i++)
            first.Add(RepoWriteOp.Create(Posts, "k" + i.ToString("D3"), Record(Posts, "r" + i)));
        await f.Service.ApplyWritesAsync(a.Id, a.Key, first);
        long reads = f.Service.StoreBlockReads;
        for (int i = 50; i < 60; i++)
            await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(Posts, "k" + i.ToString("D3"), Record(Posts, "r" + i))]);
        await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Delete(Posts, "k010")]);
        Assert.Equal(reads, f.Service.StoreBlockReads);
        Assert.True(f.Service.CachedBlockBytes > 0);

        // A restarted service starts cold and reads the tree again.
        f.Reopen();
        await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(Posts, "k100", Record(Posts, "x"))]);
        Assert.True(f.Service.StoreBlockReads > 0);
    }
}
