using Alteran.Protocol;
using Alteran.Storage.Repos;

namespace Alteran.Storage.Tests.Repos;

public class BlockSweepTests
{
    [Fact]
    public async Task Sweep_deletes_exactly_the_unmarked_blocks_of_one_repo_in_steps()
    {
        using var t = new TempStore();
        var all = new List<Cid>();
        var c = new PreparedCommit { AccountId = 1, Commit = Cid.ForDagCbor("root"u8), Rev = Commits.Rev(1) };
        c.AddBlock(c.Commit, "root"u8.ToArray());
        for (int i = 0; i < 100; i++)
        {
            byte[] b = BitConverter.GetBytes(i);
            Cid cid = Cid.ForDagCbor(b);
            all.Add(cid);
            c.AddBlock(cid, b);
        }
        await t.Store.ApplyCommitAsync(c);
        PreparedCommit other = Commits.Simple(2, "x", "y", out Cid otherRecord, out _);
        await t.Store.ApplyCommitAsync(other);

        var live = new HashSet<Cid> { c.Commit };
        for (int i = 0; i < 100; i += 3) live.Add(all[i]);
        long deleted = await t.Store.SweepBlocksAsync(1, c.Commit, live, maxScanPerStep: 7);
        Assert.Equal(100 - 34, deleted);
        foreach (Cid cid in all)
            Assert.Equal(live.Contains(cid), t.Store.HasBlock(1, cid));
        Assert.True(t.Store.HasBlock(1, c.Commit));
        Assert.True(t.Store.HasBlock(2, otherRecord));
    }

    [Fact]
    public async Task Sweep_refuses_when_the_root_moved()
    {
        using var t = new TempStore();
        await t.Store.ApplyCommitAsync(Commits.Simple(1, "a", "1", out _, out Cid c1));
        await t.Store.ApplyCommitAsync(Commits.Simple(1, "b", "2", out Cid rec2, out _));
        StorageException e = await Assert.ThrowsAsync<StorageException>(() => t.Store.SweepBlocksAsync(1, c1, new HashSet<Cid>()));
        Assert.Equal(StorageError.Conflict, e.Error);
        Assert.True(t.Store.HasBlock(1, rec2));
    }
}
