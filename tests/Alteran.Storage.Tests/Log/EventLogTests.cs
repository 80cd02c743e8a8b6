using Alteran.Storage.Log;

namespace Alteran.Storage.Tests.Log;

public class EventLogTests
{
    private sealed class Clock
    {
        public long Now = 1_700_000_000_000;
    }

    [Fact]
    public async Task Identity_events_share_the_seq_space_with_commits()
    {
        using var t = new TempStore();
        await t.Store.ApplyCommitAsync(Commits.Simple(1, "a", "1", out _, out _));
        var buffer = new EventBuffer();
        WriteResult r = await t.Store.AppendEventAsync(1, new TestEvent("identity"u8.ToArray()), buffer);
        Assert.Equal(2, r.Seq);
        Assert.Equal(2, TestEvent.SeqOf(buffer.Frame.Span));
        await t.Store.ApplyCommitAsync(Commits.Simple(1, "b", "1", out _, out _));
        using EventCursor c = t.Store.ReadEvents(1);
        Assert.True(c.MoveNext());
        Assert.Equal(2, c.Seq);
        Assert.True(TestEvent.PayloadOf(c.Frame).SequenceEqual("identity"u8));
        Assert.True(c.MoveNext());
        Assert.Equal(3, c.Seq);
        Assert.False(c.MoveNext());
    }

    [Fact]
    public async Task Range_reads_respect_both_ends()
    {
        using var t = new TempStore();
        for (int i = 0; i < 20; i++)
            await t.Store.AppendEventAsync(1, new TestEvent([(byte)i]));
        using EventCursor c = t.Store.ReadEvents(5, 9);
        var seqs = new List<long>();
        while (c.MoveNext()) seqs.Add(c.Seq);
        Assert.Equal(new long[] { 6, 7, 8, 9 }, seqs);
        using EventCursor all = t.Store.ReadEvents(-10);
        int n = 0;
        while (all.MoveNext()) n++;
        Assert.Equal(20, n);
    }

    [Fact]
    public async Task Prune_by_count_keeps_the_newest_and_seq_survives_reopen()
    {
        using var t = new TempStore(new StoreOptions { EventLogMaxCount = 5, EventLogMaxAge = TimeSpan.Zero });
        for (int i = 0; i < 12; i++)
            await t.Store.AppendEventAsync(1, new TestEvent([(byte)i]));
        Assert.Equal(8, t.Store.PruneEvents());
        Assert.Equal(8, t.Store.FirstSeq);
        t.Reopen();
        Assert.Equal(12, t.Store.LastSeq);
        Assert.Equal(13, (await t.Store.AppendEventAsync(1, new TestEvent([1]))).Seq);
    }

    [Fact]
    public async Task Prune_by_age_is_bounded_per_call_and_never_empties_the_log()
    {
        var clock = new Clock();
        using var t = new TempStore(new StoreOptions
        {
            EventLogMaxCount = 0,
            EventLogMaxAge = TimeSpan.FromHours(1),
            UnixTimeMilliseconds = () => clock.Now,
        });
        for (int i = 0; i < 10; i++)
        {
            await t.Store.AppendEventAsync(1, new TestEvent([(byte)i]));
            clock.Now += 60_000;
        }
        clock.Now += 3_600_000 - 5 * 60_000; // events 1..5 (written at t0..t0+4min) are now older than an hour
        Assert.Equal(3, t.Store.PruneEvents(maxScan: 2));
        Assert.Equal(6, t.Store.PruneEvents());
        clock.Now += 100 * 3_600_000L; // everything is old: the newest event stays
        Assert.Equal(10, t.Store.PruneEvents());
        t.Reopen();
        Assert.Equal(10, t.Store.LastSeq);
    }

    [Fact]
    public async Task Seq_survives_a_fully_pruned_log()
    {
        using var t = new TempStore(new StoreOptions { EventLogMaxCount = 1, EventLogMaxAge = TimeSpan.Zero });
        for (int i = 0; i < 3; i++)
            await t.Store.AppendEventAsync(1, new TestEvent([1]));
        t.Store.PruneEvents();
        t.Reopen();
        Assert.Equal(3, t.Store.LastSeq);
        Assert.Equal(3, t.Store.FirstSeq);
    }
}
