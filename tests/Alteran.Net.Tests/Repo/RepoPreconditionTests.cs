using Alteran.Net.Repo;
using Alteran.Protocol;
using static Alteran.Net.Tests.Repo.RepoTestData;

namespace Alteran.Net.Tests.Repo;

public sealed class RepoPreconditionTests
{
    private static async Task<RepoWriteError> Refused(Task task) => (await Assert.ThrowsAsync<RepoWriteException>(() => task)).Error;

    [Fact]
    public async Task SwapCommit_must_name_the_current_commit()
    {
        using var f = new RepoFixture();
        TestAccount a = await f.CreateAccountAsync();
        RepoHead first = f.Service.GetLatestCommit(a.Id)!.Value;
        RepoCommitResult r1 = await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(Posts, "a1", Record(Posts, "1"))], swapCommit: first.Commit);

        var ex = await Assert.ThrowsAsync<RepoWriteException>(() =>
            f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(Posts, "a2", Record(Posts, "2"))], swapCommit: first.Commit));
        Assert.Equal(RepoWriteError.InvalidSwap, ex.Error);
        Assert.Equal("InvalidSwap", ex.XrpcError);
        Assert.False(f.Service.TryGetRecord(a.Id, Posts, "a2", out _, out _));
        Assert.Equal(r1.Commit, f.Service.GetLatestCommit(a.Id)!.Value.Commit);

        await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(Posts, "a2", Record(Posts, "2"))], swapCommit: r1.Commit);
        Assert.True(f.Service.TryGetRecord(a.Id, Posts, "a2", out _, out _));
    }

    [Fact]
    public async Task SwapRecord_is_checked_per_write()
    {
        using var f = new RepoFixture();
        TestAccount a = await f.CreateAccountAsync();
        byte[] v1 = Record(Posts, "v1"), v2 = Record(Posts, "v2");
        Cid c1 = Cid.ForDagCbor(v1);

        // Put with swapRecord null: the record must not exist yet.
        await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Put(Posts, "p", v1, checkSwap: true, swapRecord: null)]);
        Assert.Equal(RepoWriteError.InvalidSwap, await Refused(f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Put(Posts, "p", v2, checkSwap: true, swapRecord: null)])));
        // Put with a wrong CID, then the right one.
        Assert.Equal(RepoWriteError.InvalidSwap, await Refused(f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Put(Posts, "p", v2, checkSwap: true, swapRecord: Cid.ForDagCbor(v2))])));
        RepoCommitResult put = await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Put(Posts, "p", v2, checkSwap: true, swapRecord: c1)]);
        Assert.Equal(RepoWriteAction.Update, put.Results[0].Action);
        // Delete with a stale CID, a swap on a missing record, then the right one.
        Assert.Equal(RepoWriteError.InvalidSwap, await Refused(f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Delete(Posts, "p", checkSwap: true, swapRecord: c1)])));
        Assert.Equal(RepoWriteError.InvalidSwap, await Refused(f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Delete(Posts, "nope", checkSwap: true, swapRecord: c1)])));
        await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Delete(Posts, "p", checkSwap: true, swapRecord: Cid.ForDagCbor(v2))]);
        Assert.False(f.Service.TryGetRecord(a.Id, Posts, "p", out _, out _));

        // A failing swap in the middle of applyWrites writes none of them.
        await Refused(f.Service.ApplyWritesAsync(a.Id, a.Key,
        [
            RepoWriteOp.Create(Posts, "x1", v1),
            RepoWriteOp.Delete(Posts, "x2", checkSwap: true, swapRecord: c1),
        ]));
        Assert.False(f.Service.TryGetRecord(a.Id, Posts, "x1", out _, out _));
    }

    [Fact]
    public async Task Invalid_writes_are_refused_and_leave_the_repo_usable()
    {
        using var f = new RepoFixture();
        TestAccount a = await f.CreateAccountAsync();
        byte[] v = Record(Posts, "v");
        await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(Posts, "a", v)]);
        long seq = f.Store.LastSeq;

        Assert.Equal(RepoWriteError.RecordAlreadyExists, await Refused(f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(Posts, "a", v)])));
        Assert.Equal(RepoWriteError.RecordNotFound, await Refused(f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Delete(Posts, "b")])));
        Assert.Equal(RepoWriteError.RecordNotFound, await Refused(f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Update(Posts, "b", v)])));
        Assert.Equal(RepoWriteError.InvalidWrite, await Refused(f.Service.ApplyWritesAsync(a.Id, a.Key,
            [RepoWriteOp.Create(Posts, "c", v), RepoWriteOp.Delete(Posts, "c")])));
        Assert.Equal(RepoWriteError.InvalidWrite, await Refused(f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(Posts, "d", new byte[] { 0xa1, 0x61 })])));
        Assert.Equal(RepoWriteError.InvalidWrite, await Refused(f.Service.ApplyWritesAsync(a.Id, a.Key, [])));
        // Records must be maps with a $type: this one has the exact shape of an MST node, whose block it could share.
        byte[] nodeShaped = [0xa2, 0x61, 0x65, 0x80, 0x61, 0x6c, 0xf6]; // {e: [], l: null}
        Assert.Equal(RepoWriteError.InvalidWrite, await Refused(f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(Posts, "n", nodeShaped)])));
        Assert.Equal(RepoWriteError.InvalidWrite, await Refused(f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(Posts, "n", new byte[] { 0x01 })])));
        byte[] huge = Record(Posts, new string('x', 1_000_000));
        var tooLarge = await Assert.ThrowsAsync<RepoWriteException>(() => f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(Posts, "e", huge)]));
        Assert.Equal(RepoWriteError.RecordTooLarge, tooLarge.Error);
        Assert.Equal("InvalidRequest", tooLarge.XrpcError);
        Assert.Equal(seq, f.Store.LastSeq); // nothing logged

        RepoCommitResult ok = await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Put(Posts, "a", Record(Posts, "w")), RepoWriteOp.Put(Posts, "b", v)]);
        Assert.Equal([RepoWriteAction.Update, RepoWriteAction.Create], [ok.Results[0].Action, ok.Results[1].Action]);
        Assert.Equal(seq + 1, ok.Seq);
    }

    [Fact]
    public async Task Putting_identical_bytes_commits_nothing()
    {
        using var f = new RepoFixture();
        TestAccount a = await f.CreateAccountAsync();
        byte[] v = Record(Posts, "same");
        RepoCommitResult first = await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Put(Posts, "p", v)]);
        Assert.False(first.NoOp);
        long seq = f.Store.LastSeq;
        RepoCommitResult again = await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Put(Posts, "p", v)]);
        Assert.True(again.NoOp);
        Assert.Equal(0, again.Seq);
        Assert.Equal(first.Commit, again.Commit);
        Assert.Equal(first.Results[0].Cid, again.Results[0].Cid);
        Assert.Equal(seq, f.Store.LastSeq);
        Assert.Equal(first.Commit, f.Service.GetLatestCommit(a.Id)!.Value.Commit);
        // applyWrites-style update of identical bytes still commits (the reference does too).
        RepoCommitResult update = await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Update(Posts, "p", v)]);
        Assert.False(update.NoOp);
        Assert.Equal(seq + 1, update.Seq);
    }

    [Fact]
    public async Task Blob_references_follow_the_records()
    {
        using var f = new RepoFixture();
        TestAccount a = await f.CreateAccountAsync();
        var blob = await f.Store.UploadBlobAsync(a.Id, new MemoryStream([1, 2, 3]), "image/png", 1000);
        Assert.False(f.Store.IsBlobReferenced(a.Id, blob.Cid));

        Cid unknown = Cid.ForRaw([9, 9, 9]);
        Assert.Equal(RepoWriteError.BlobNotFound, await Refused(f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(Posts, "x", Record(Posts, "x", unknown))])));
        Assert.False(f.Service.TryGetRecord(a.Id, Posts, "x", out _, out _));

        await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(Posts, "p", Record(Posts, "p", blob.Cid))]);
        Assert.True(f.Store.IsBlobReferenced(a.Id, blob.Cid));
        await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Put(Posts, "p", Record(Posts, "p2", blob.Cid))]);
        Assert.True(f.Store.IsBlobReferenced(a.Id, blob.Cid)); // removed and re-added in one batch: kept
        await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Put(Posts, "p", Record(Posts, "p3"))]);
        Assert.False(f.Store.IsBlobReferenced(a.Id, blob.Cid));
        await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Put(Posts, "q", Record(Posts, "q", blob.Cid))]);
        await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Delete(Posts, "q")]);
        Assert.False(f.Store.IsBlobReferenced(a.Id, blob.Cid));
    }

    [Fact]
    public async Task Identical_records_share_a_block_that_outlives_all_but_the_last()
    {
        using var f = new RepoFixture();
        TestAccount a = await f.CreateAccountAsync();
        byte[] same = Record(Likes, "same");
        Cid cid = Cid.ForDagCbor(same);
        await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(Likes, "l1", same), RepoWriteOp.Create(Likes, "l2", same)]);
        await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(Likes, "l3", same)]);
        await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Delete(Likes, "l1")]);
        Assert.True(f.Service.TryGetRecord(a.Id, Likes, "l2", out _, out byte[] v2));
        Assert.Equal(same, v2);
        // Restart: the reference counts are rebuilt from the record index.
        f.Reopen();
        await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Put(Likes, "l2", Record(Likes, "other"))]);
        Assert.True(f.Service.TryGetRecord(a.Id, Likes, "l3", out _, out byte[] v3));
        Assert.Equal(same, v3);
        await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Delete(Likes, "l3")]);
        Assert.False(f.Store.HasBlock(a.Id, cid)); // last user gone: block deleted with it
    }
}
