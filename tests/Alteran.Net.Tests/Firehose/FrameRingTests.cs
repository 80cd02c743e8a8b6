using System.Buffers.Binary;
using Alteran.Net.Firehose;

namespace Alteran.Net.Tests.Firehose;

public sealed class FrameRingTests
{
    private static byte[] Frame(long seq, int size = 16)
    {
        var f = new byte[size];
        BinaryPrimitives.WriteInt64LittleEndian(f, seq);
        return f;
    }

    [Fact]
    public void Reads_published_frames_and_reports_not_yet()
    {
        var ring = new FrameRing(8, 1 << 20, startAfter: 100);
        Assert.Equal(100, ring.Head);
        Assert.Equal(RingReadStatus.NotYet, ring.TryRead(101, out _));
        Assert.Equal(RingReadStatus.Lapped, ring.TryRead(100, out _)); // before the ring's start: from the log
        byte[] f = Frame(101);
        ring.Publish(101, f);
        Assert.Equal(RingReadStatus.Ok, ring.TryRead(101, out byte[]? read));
        Assert.Same(f, read);
        Assert.Equal(101, ring.Head);
        Assert.Equal(101, ring.Tail);
    }

    [Fact]
    public void Publish_requires_the_next_seq()
    {
        var ring = new FrameRing(8, 1 << 20);
        Assert.Throws<InvalidOperationException>(() => ring.Publish(2, Frame(2)));
        ring.Publish(1, Frame(1));
        Assert.Throws<InvalidOperationException>(() => ring.Publish(1, Frame(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameRing(6, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameRing(8, 0));
    }

    [Fact]
    public void Readers_detect_being_lapped_by_slot_count()
    {
        var ring = new FrameRing(4, 1 << 20);
        for (long s = 1; s <= 10; s++)
            ring.Publish(s, Frame(s));
        Assert.Equal(7, ring.Tail);
        for (long s = 1; s <= 6; s++)
            Assert.Equal(RingReadStatus.Lapped, ring.TryRead(s, out _));
        for (long s = 7; s <= 10; s++)
        {
            Assert.Equal(RingReadStatus.Ok, ring.TryRead(s, out byte[]? f));
            Assert.Equal(s, BinaryPrimitives.ReadInt64LittleEndian(f));
        }
        Assert.Equal(RingReadStatus.NotYet, ring.TryRead(11, out _));
    }

    [Fact]
    public void Byte_budget_evicts_old_frames_but_keeps_the_newest()
    {
        var ring = new FrameRing(64, 1000);
        for (long s = 1; s <= 5; s++)
            ring.Publish(s, Frame(s, 300));
        Assert.Equal(3, ring.Tail); // 3 × 300 fit in 1000
        Assert.Equal(RingReadStatus.Lapped, ring.TryRead(2, out _));
        Assert.Equal(RingReadStatus.Ok, ring.TryRead(3, out _));
        ring.Publish(6, Frame(6, 5000)); // larger than the budget on its own: still held
        Assert.Equal(6, ring.Tail);
        Assert.Equal(RingReadStatus.Ok, ring.TryRead(6, out _));
    }

    [Fact]
    public void Holes_are_reported_for_skipping()
    {
        var ring = new FrameRing(8, 1 << 20);
        ring.Publish(1, null);
        ring.Publish(2, Frame(2));
        Assert.Equal(RingReadStatus.Hole, ring.TryRead(1, out _));
        Assert.Equal(RingReadStatus.Ok, ring.TryRead(2, out _));
    }

    [Theory]
    [InlineData(1024)]     // readers may be lapped: they must notice
    [InlineData(65_536)]   // never lapped: every reader sees every event
    public async Task Concurrent_readers_see_every_frame_in_order_or_detect_the_lap(int capacity)
    {
        const int Events = 50_000;
        var ring = new FrameRing(capacity, 1 << 30);
        var frames = new byte[64][];
        for (int i = 0; i < frames.Length; i++)
            frames[i] = Frame(i);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);

        Task<(long Ok, long Lapped)> Reader() => Task.Run(() =>
        {
            long next = 1, ok = 0, lapped = 0;
            while (next <= Events && DateTime.UtcNow < deadline)
            {
                switch (ring.TryRead(next, out byte[]? f))
                {
                    case RingReadStatus.Ok:
                        // The frame read belongs to the seq asked for, never a newer slot's content.
                        Assert.Same(frames[next % frames.Length], f);
                        ok++;
                        next++;
                        break;
                    case RingReadStatus.Lapped:
                        lapped++;
                        next = ring.Tail; // jump to the oldest held, as the log replay would
                        break;
                    default:
                        Thread.Yield();
                        break;
                }
            }
            return (ok, lapped);
        });

        var readers = new Task<(long Ok, long Lapped)>[4];
        for (int r = 0; r < readers.Length; r++)
            readers[r] = Reader();
        var writer = Task.Run(() =>
        {
            for (long s = 1; s <= Events; s++)
                ring.Publish(s, frames[s % frames.Length]);
        });
        await writer.WaitAsync(TimeSpan.FromSeconds(30));
        foreach (var reader in readers)
        {
            (long ok, long lapped) = await reader.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(ok > 0);
            if (capacity >= Events)
            {
                Assert.Equal(Events, ok);
                Assert.Equal(0, lapped);
            }
        }
        Assert.Equal(Events, ring.Head);
    }

    [Fact]
    public async Task Signal_wakes_waiters_once_per_publish_batch()
    {
        var ring = new FrameRing(8, 1 << 20);
        Task waiter = ring.NextSignal;
        Assert.False(waiter.IsCompleted);
        ring.Publish(1, Frame(1));
        ring.Signal();
        await waiter.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(ring.NextSignal.IsCompleted);
    }
}
