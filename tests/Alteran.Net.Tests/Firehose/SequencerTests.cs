using System.Buffers;
using Alteran.Net.Firehose;
using Alteran.Net.Tests.Repo;
using Alteran.Protocol.Sync;
using Alteran.Storage;
using Alteran.Storage.Log;

namespace Alteran.Net.Tests.Firehose;

public sealed class SequencerTests
{
    private sealed class IdentityEncoder(string did) : IEventEncoder
    {
        public void Encode(long seq, IBufferWriter<byte> output)
            => new IdentityEvent { Did = did, Time = DateTimeOffset.UnixEpoch.AddYears(55) }.WriteFrame(seq, output);
    }

    private static async Task<bool> WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 400 && !condition(); i++)
            await Task.Delay(25);
        return condition();
    }

    [Fact]
    public void Out_of_order_publishes_enter_the_ring_in_seq_order()
    {
        using var f = new RepoFixture();
        using var sequencer = new Sequencer(f.Store, new FirehoseOptions { RingCapacity = 16, GapTimeout = TimeSpan.FromMinutes(5) });
        byte[][] frames = [[1], [2], [3], [4], [5]];
        sequencer.Publish(3, frames[2]);
        sequencer.Publish(5, frames[4]);
        Assert.Equal(0, sequencer.Ring.Head);
        Assert.Equal(2, sequencer.PendingCount);
        sequencer.Publish(1, frames[0]);
        Assert.Equal(1, sequencer.Ring.Head);
        sequencer.Publish(2, frames[1]);
        Assert.Equal(3, sequencer.Ring.Head);
        sequencer.Publish(4, frames[3]);
        Assert.Equal(5, sequencer.Ring.Head);
        Assert.Equal(0, sequencer.PendingCount);
        for (long s = 1; s <= 5; s++)
        {
            Assert.Equal(RingReadStatus.Ok, sequencer.Ring.TryRead(s, out byte[]? read));
            Assert.Same(frames[s - 1], read);
        }
        sequencer.Publish(2, [9]); // a duplicate is ignored
        Assert.Equal(RingReadStatus.Ok, sequencer.Ring.TryRead(2, out byte[]? again));
        Assert.Same(frames[1], again);
    }

    [Fact]
    public async Task A_gap_that_never_fills_is_read_from_the_event_log()
    {
        using var f = new RepoFixture();
        using var sequencer = new Sequencer(f.Store, new FirehoseOptions { RingCapacity = 16, GapTimeout = TimeSpan.FromMilliseconds(50), TickInterval = TimeSpan.FromMilliseconds(20) });
        // Three durable events whose sink calls are "lost", then the fourth is published.
        for (int i = 0; i < 3; i++)
            await f.Store.AppendEventAsync(0, new IdentityEncoder($"did:plc:aaaaaaaaaaaaaaaaaaaaaaa{i}"));
        WriteResult fourth = await sequencer.AppendEventAsync(0, new IdentityEvent { Did = "did:plc:bbbbbbbbbbbbbbbbbbbbbbbb", Time = DateTimeOffset.UnixEpoch.AddYears(55) });
        Assert.Equal(4, fourth.Seq);
        Assert.True(await WaitForAsync(() => sequencer.Ring.Head == 4));
        using EventCursor log = f.Store.ReadEvents(0);
        while (log.MoveNext())
        {
            Assert.Equal(RingReadStatus.Ok, sequencer.Ring.TryRead(log.Seq, out byte[]? frame));
            Assert.Equal(log.Frame.ToArray(), frame);
            Assert.Equal(log.Seq, FirehoseFrame.Decode(frame!).Seq);
        }
    }

    [Fact]
    public async Task Events_logged_without_a_sink_call_reach_the_ring_on_their_own()
    {
        using var f = new RepoFixture();
        using var sequencer = new Sequencer(f.Store, new FirehoseOptions { RingCapacity = 16, GapTimeout = TimeSpan.FromMilliseconds(50), TickInterval = TimeSpan.FromMilliseconds(20) });
        // An account/identity event written straight into the store, with no later publish to reveal a gap.
        for (int i = 0; i < 2; i++)
            await f.Store.AppendEventAsync(0, new IdentityEncoder($"did:plc:cccccccccccccccccccccc{i}"));
        Assert.True(await WaitForAsync(() => sequencer.Ring.Head == 2));
        for (long s = 1; s <= 2; s++)
        {
            Assert.Equal(RingReadStatus.Ok, sequencer.Ring.TryRead(s, out byte[]? frame));
            Assert.Equal(s, FirehoseFrame.Decode(frame!).Seq);
        }
        Assert.Equal(0, sequencer.PendingCount);
    }

    [Fact]
    public async Task A_full_reorder_window_fills_the_gap_at_once()
    {
        using var f = new RepoFixture();
        using var sequencer = new Sequencer(f.Store, new FirehoseOptions
        {
            RingCapacity = 16, ReorderWindow = 2, GapTimeout = TimeSpan.FromMinutes(10), TickInterval = TimeSpan.FromMinutes(10),
        });
        for (int i = 0; i < 5; i++)
            await f.Store.AppendEventAsync(0, new IdentityEncoder($"did:plc:dddddddddddddddddddddddd{i}"));
        using (EventCursor log = f.Store.ReadEvents(2))
        {
            while (log.MoveNext())
                sequencer.Publish(log.Seq, log.Frame); // 3, 4, 5 arrive; 1 and 2 never do
        }
        Assert.True(await WaitForAsync(() => sequencer.Ring.Head == 5));
        Assert.Equal(0, sequencer.PendingCount);
        for (long s = 1; s <= 5; s++)
            Assert.Equal(RingReadStatus.Ok, sequencer.Ring.TryRead(s, out _));
    }

    [Fact]
    public async Task A_seq_in_neither_window_nor_log_becomes_a_hole()
    {
        using var f = new RepoFixture();
        using var sequencer = new Sequencer(f.Store, new FirehoseOptions { RingCapacity = 16, GapTimeout = TimeSpan.FromMilliseconds(50), TickInterval = TimeSpan.FromMilliseconds(20) });
        sequencer.Publish(3, [3]);
        Assert.True(await WaitForAsync(() => sequencer.Ring.Head == 3));
        Assert.Equal(RingReadStatus.Hole, sequencer.Ring.TryRead(1, out _));
        Assert.Equal(RingReadStatus.Hole, sequencer.Ring.TryRead(2, out _));
        Assert.Equal(RingReadStatus.Ok, sequencer.Ring.TryRead(3, out _));
    }

    [Fact]
    public async Task Starts_after_the_stores_last_seq()
    {
        using var f = new RepoFixture();
        await f.Store.AppendEventAsync(0, new IdentityEncoder("did:plc:cccccccccccccccccccccccc"));
        using var sequencer = new Sequencer(f.Store);
        Assert.Equal(1, sequencer.Ring.Head);
        Assert.Equal(RingReadStatus.Lapped, sequencer.Ring.TryRead(1, out _));
    }
}
