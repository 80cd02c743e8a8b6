using Alteran.Protocol.Syntax;

namespace Alteran.Protocol.Tests.Syntax;

public sealed class TidClockTests
{
    [Fact]
    public void NeverGoesBackwardsWhenTheClockStepsBack()
    {
        long[] times = [1_000_000, 1_000_005, 999_000, 999_001, 1_000_005, 1_000_004, 2_000_000, 10];
        int index = 0;
        var clock = new TidClock(() => times[index++], clockId: 7);
        Tid previous = default;
        var seen = new List<long>();
        for (int n = 0; n < times.Length; n++)
        {
            Tid tid = clock.Next();
            Assert.True(tid > previous, $"{tid} should follow {previous}");
            Assert.Equal(7, tid.ClockId);
            Assert.True(string.CompareOrdinal(tid.ToString(), previous.ToString()) > 0);
            seen.Add(tid.Timestamp);
            previous = tid;
        }
        // Real time where it moves forward, last + 1 where it does not.
        Assert.Equal([1_000_000, 1_000_005, 1_000_006, 1_000_007, 1_000_008, 1_000_009, 2_000_000, 2_000_001], seen);
    }

    [Fact]
    public void StrictlyIncreasesWithinOneMicrosecond()
    {
        var clock = new TidClock(() => 5_000, clockId: 0);
        Assert.Equal(5_000, clock.Next().Timestamp);
        Assert.Equal(5_001, clock.Next().Timestamp);
        Assert.Equal(5_002, clock.Next().Timestamp);
    }

    [Fact]
    public void ConcurrentCallersGetUniqueIncreasingValues()
    {
        const int threads = 4;
        const int perThread = 20_000;
        // A coarse, sometimes backwards time source makes collisions and retries likely.
        long tick = 0;
        var clock = new TidClock(() => Interlocked.Increment(ref tick) / 50 * (Interlocked.Read(ref tick) % 97 == 0 ? 0 : 1));
        var results = new Tid[threads][];
        using var start = new Barrier(threads);
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int me = t;
            workers[t] = new Thread(() =>
            {
                var mine = new Tid[perThread];
                start.SignalAndWait(TimeSpan.FromSeconds(30));
                for (int n = 0; n < perThread; n++)
                    mine[n] = clock.Next();
                results[me] = mine;
            });
            workers[t].Start();
        }
        foreach (Thread worker in workers)
            Assert.True(worker.Join(TimeSpan.FromSeconds(60)));

        var all = new HashSet<Tid>();
        foreach (Tid[] mine in results)
        {
            for (int n = 1; n < mine.Length; n++)
                Assert.True(mine[n] > mine[n - 1]);
            foreach (Tid tid in mine)
                Assert.True(all.Add(tid), $"duplicate {tid}");
        }
        Assert.Equal(threads * perThread, all.Count);
    }

    [Fact]
    public void ObserveLiftsTheClockAboveAStoredRev()
    {
        var clock = new TidClock(() => 1_000, clockId: 3);
        Tid stored = Tid.FromTimestamp(5_000_000, 1023);
        clock.Observe(stored);
        Tid next = clock.Next();
        Assert.True(next > stored);
        Assert.Equal(3, next.ClockId);
        // Observing something older changes nothing.
        clock.Observe(Tid.FromTimestamp(10, 0));
        Assert.True(clock.Next() > next);
    }

    [Fact]
    public void ObserveOfTheSameTimestampAndLowerClockStillMovesPast()
    {
        var clock = new TidClock(() => 100, clockId: 500);
        Tid stored = Tid.FromTimestamp(100, 500);
        clock.Observe(stored);
        Assert.True(clock.Next() > stored);
    }

    [Fact]
    public void SystemClockIssuesCurrentTimestamps()
    {
        var clock = new TidClock();
        Assert.InRange(clock.ClockId, 0, 1023);
        long before = TidClock.SystemMicroseconds();
        Tid tid = clock.Next();
        long after = TidClock.SystemMicroseconds();
        Assert.InRange(tid.Timestamp, before, after + 1);
        Assert.True(Tid.IsValid(tid.ToString()));
    }

    [Fact]
    public void OverflowIsAnErrorNotAWrap()
    {
        var clock = new TidClock(() => Tid.MaxTimestamp, clockId: 0);
        Assert.Equal(Tid.MaxTimestamp, clock.Next().Timestamp);
        Assert.Throws<InvalidOperationException>(() => clock.Next());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TidClock(() => 0, 1024));
    }
}
