using Alteran.Protocol;
using Alteran.Storage.Blocks;
using Alteran.Storage.Log;
using Alteran.Storage.Repos;

namespace Alteran.Storage.Tests.Repos;

public class CommitTests
{
    [Fact]
    public async Task Commit_is_readable_and_survives_reopen()
    {
        using var t = new TempStore();
        var output = new EventBuffer();
        PreparedCommit c = Commits.Simple(1, "3k2abc", "hello", out Cid recordCid, out Cid commitCid);
        c.EventOutput = output;
        WriteResult r = await t.Store.ApplyCommitAsync(c);
        Assert.Equal(1, r.Seq);
        Assert.Equal(1, TestEvent.SeqOf(output.Frame.Span));

        for (int pass = 0; pass < 2; pass++)
        {
            AlteranStore s = pass == 0 ? t.Store : t.Reopen();
            Assert.Equal(1, s.LastSeq);
            Assert.True(s.TryGetRecord(1, "app.test.post", "3k2abc", out Cid got));
            Assert.Equal(recordCid, got);
            Assert.False(s.TryGetRecord(1, "app.test.post", "other", out _));
            Assert.False(s.TryGetRecord(2, "app.test.post", "3k2abc", out _));
            Assert.True(s.TryGetRepoRoot(1, out RepoRoot root));
            Assert.Equal(commitCid, root.Commit);
            Assert.Equal("3jzfcijpj2z2a", root.Rev);
            byte[]? block = s.GetBlock(1, recordCid);
            Assert.NotNull(block);
            Assert.True(recordCid.Matches(block));
            Assert.Null(s.GetBlock(2, recordCid));
            using EventCursor events = s.ReadEvents(0);
            Assert.True(events.MoveNext());
            Assert.Equal(1, events.Seq);
            Assert.Equal(1, events.AccountId);
            Assert.True(output.Frame.Span.SequenceEqual(events.Frame));
            Assert.False(events.MoveNext());
        }
    }

    [Fact]
    public async Task Seqs_are_contiguous_across_reopen()
    {
        using var t = new TempStore();
        for (int i = 0; i < 5; i++)
            Assert.Equal(i + 1, (await t.Store.ApplyCommitAsync(Commits.Simple(1, $"k{i}", "x", out _, out _))).Seq);
        t.Reopen();
        Assert.Equal(5, t.Store.LastSeq);
        Assert.Equal(6, (await t.Store.ApplyCommitAsync(Commits.Simple(1, "k5", "x", out _, out _))).Seq);
    }

    [Fact]
    public async Task Concurrent_writers_get_unique_contiguous_seqs_in_log_order()
    {
        using var t = new TempStore();
        const int Writers = 16, PerWriter = 20;
        var tasks = new List<Task<WriteResult>>();
        var start = new TaskCompletionSource();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            await start.Task;
            var seqs = new List<long>();
            for (int i = 0; i < PerWriter; i++)
                seqs.Add((await t.Store.ApplyCommitAsync(Commits.Simple(w + 1, $"r{i:D4}", "c", out _, out _))).Seq);
            return seqs;
        })).ToArray();
        start.SetResult();
        List<long>[] all = await Task.WhenAll(writers);
        long[] seqs = all.SelectMany(s => s).Order().ToArray();
        Assert.Equal(Enumerable.Range(1, Writers * PerWriter).Select(i => (long)i), seqs);
        foreach (List<long> s in all)
            Assert.True(s.SequenceEqual(s.Order()), "one writer's commits must get increasing seqs");

        using EventCursor events = t.Store.ReadEvents(0);
        long expected = 1;
        while (events.MoveNext())
        {
            Assert.Equal(expected, events.Seq);
            Assert.Equal(expected, TestEvent.SeqOf(events.Frame));
            expected++;
        }
        Assert.Equal(Writers * PerWriter + 1, expected);
    }

    [Fact]
    public async Task Root_conflict_fails_only_that_commit_and_consumes_no_seq()
    {
        using var t = new TempStore();
        PreparedCommit first = Commits.Simple(1, "a", "1", out _, out Cid c1);
        first.ExpectPrevious(default);
        await t.Store.ApplyCommitAsync(first);

        PreparedCommit stale = Commits.Simple(1, "b", "2", out _, out _);
        stale.ExpectPrevious(default); // wrong: the repo exists now
        PreparedCommit good = Commits.Simple(1, "c", "3", out _, out Cid c3);
        good.ExpectPrevious(c1);
        Task<WriteResult> staleTask = t.Store.ApplyCommitAsync(stale);
        Task<WriteResult> goodTask = t.Store.ApplyCommitAsync(good);
        StorageException e = await Assert.ThrowsAsync<StorageException>(() => staleTask);
        Assert.Equal(StorageError.Conflict, e.Error);
        Assert.Equal(2, (await goodTask).Seq);
        Assert.False(t.Store.TryGetRecord(1, "app.test.post", "b", out _));

        // Chained commits queued together see each other's roots.
        PreparedCommit d = Commits.Simple(1, "d", "4", out _, out Cid c4);
        d.ExpectPrevious(c3);
        PreparedCommit e2 = Commits.Simple(1, "e", "5", out _, out _);
        e2.ExpectPrevious(c4);
        await Task.WhenAll(t.Store.ApplyCommitAsync(d), t.Store.ApplyCommitAsync(e2));
        Assert.Equal(4, t.Store.LastSeq);
    }

    [Fact]
    public async Task Failing_encoder_fails_only_its_write_and_leaves_nothing_behind()
    {
        using var t = new TempStore();
        PreparedCommit bad = Commits.Simple(1, "bad", "x", out Cid badRecord, out _);
        bad.Event = new FailingEvent();
        Task<WriteResult> badTask = t.Store.ApplyCommitAsync(bad);
        Task<WriteResult> goodTask = t.Store.ApplyCommitAsync(Commits.Simple(2, "good", "y", out _, out _));
        await Assert.ThrowsAsync<InvalidOperationException>(() => badTask);
        Assert.Equal(1, (await goodTask).Seq);
        Assert.False(t.Store.TryGetRecord(1, "app.test.post", "bad", out _));
        Assert.Null(t.Store.GetBlock(1, badRecord));
        Assert.False(t.Store.TryGetRepoRoot(1, out _));
    }

    [Fact]
    public async Task Removed_blocks_and_deleted_records_go_in_the_same_batch()
    {
        using var t = new TempStore();
        await t.Store.ApplyCommitAsync(Commits.Simple(1, "a", "1", out Cid rec, out Cid commit1));
        PreparedCommit del = Commits.Simple(1, "b", "2", out Cid rec2, out _);
        del.DeleteRecord("app.test.post", "a");
        del.RemoveBlock(rec);
        del.RemoveBlock(commit1);
        del.RemoveBlock(rec2); // removed and re-added in one commit: stays
        await t.Store.ApplyCommitAsync(del);
        Assert.False(t.Store.TryGetRecord(1, "app.test.post", "a", out _));
        Assert.Null(t.Store.GetBlock(1, rec));
        Assert.Null(t.Store.GetBlock(1, commit1));
        Assert.NotNull(t.Store.GetBlock(1, rec2));
    }

    [Fact]
    public async Task Commit_without_event_gets_seq_zero()
    {
        using var t = new TempStore();
        PreparedCommit c = Commits.Simple(1, "a", "1", out _, out _);
        c.Event = null;
        Assert.Equal(0, (await t.Store.ApplyCommitAsync(c)).Seq);
        Assert.Equal(0, t.Store.LastSeq);
    }

    [Fact]
    public async Task Bad_arguments_are_rejected_without_side_effects()
    {
        using var t = new TempStore();
        PreparedCommit c = Commits.Simple(0, "a", "1", out _, out _);
        await Assert.ThrowsAsync<ArgumentException>(() => t.Store.ApplyCommitAsync(c));
        PreparedCommit badKey = Commits.Simple(1, "a", "1", out _, out _);
        badKey.PutRecord("app.test.post", "bad key with spaces", Cid.ForRaw("x"u8));
        await Assert.ThrowsAsync<ArgumentException>(() => t.Store.ApplyCommitAsync(badKey));
        PreparedCommit longKey = Commits.Simple(1, "a", "1", out _, out _);
        longKey.PutRecord("app.test.post", new string('a', 513), Cid.ForRaw("x"u8));
        await Assert.ThrowsAsync<ArgumentException>(() => t.Store.ApplyCommitAsync(longKey));
        Assert.False(t.Store.TryGetRecord(1, "app.test.post", "a", out _));
        Assert.Equal(0, t.Store.LastSeq);
    }

    [Fact]
    public async Task Closed_store_rejects_writes()
    {
        var t = new TempStore();
        t.Store.Dispose();
        StorageException e = await Assert.ThrowsAsync<StorageException>(() => t.Store.ApplyCommitAsync(Commits.Simple(1, "a", "1", out _, out _)));
        Assert.Equal(StorageError.Closed, e.Error);
        t.Dispose();
    }
}
