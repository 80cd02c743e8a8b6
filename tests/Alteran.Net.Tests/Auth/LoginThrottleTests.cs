using Alteran.Net.Auth;

namespace Alteran.Net.Tests.Auth;

public class LoginThrottleTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public void FiveFailuresLockForFifteenMinutes()
    {
        var throttle = new LoginThrottle(time: _clock);
        for (int i = 0; i < 4; i++)
        {
            Assert.False(throttle.RecordFailure("alice"));
            Assert.False(throttle.IsLocked("alice", out _));
        }
        Assert.True(throttle.RecordFailure("alice"));
        Assert.True(throttle.IsLocked("alice", out var retry));
        Assert.Equal(TimeSpan.FromMinutes(15), retry);
        Assert.False(throttle.IsLocked("bob", out _));

        _clock.Advance(TimeSpan.FromMinutes(14));
        Assert.True(throttle.IsLocked("alice", out retry));
        Assert.Equal(TimeSpan.FromMinutes(1), retry);
        // Failures during the lockout do not extend it.
        Assert.True(throttle.RecordFailure("alice"));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(throttle.IsLocked("alice", out retry));
        Assert.Equal(TimeSpan.Zero, retry);

        // After a lockout the count starts over.
        Assert.False(throttle.RecordFailure("alice"));
        Assert.False(throttle.IsLocked("alice", out _));
    }

    [Fact]
    public void SuccessResets()
    {
        var throttle = new LoginThrottle(time: _clock);
        for (int i = 0; i < 4; i++)
            throttle.RecordFailure("alice");
        throttle.RecordSuccess("alice");
        Assert.Equal(0, throttle.Count);
        for (int i = 0; i < 4; i++)
            Assert.False(throttle.RecordFailure("alice"));
        Assert.True(throttle.RecordFailure("alice"));
    }

    [Fact]
    public void FailuresOutsideTheWindowAreForgotten()
    {
        var throttle = new LoginThrottle(time: _clock);
        for (int i = 0; i < 4; i++)
            throttle.RecordFailure("alice");
        _clock.Advance(TimeSpan.FromMinutes(15));
        Assert.False(throttle.RecordFailure("alice")); // fresh window: 1
        for (int i = 0; i < 3; i++)
            Assert.False(throttle.RecordFailure("alice"));
        Assert.True(throttle.RecordFailure("alice"));
    }

    [Fact]
    public void MemoryIsBoundedAndOldestIsEvicted()
    {
        var throttle = new LoginThrottle(new LoginThrottleOptions { Capacity = 3, MaxFailures = 2 }, _clock);
        throttle.RecordFailure("a");
        throttle.RecordFailure("b");
        throttle.RecordFailure("c");
        throttle.RecordFailure("a"); // a is now the most recent and locked
        throttle.RecordFailure("d"); // evicts b
        Assert.Equal(3, throttle.Count);
        Assert.True(throttle.IsLocked("a", out _));
        Assert.False(throttle.RecordFailure("b")); // b starts over at 1
        for (int i = 0; i < 10_000; i++)
            throttle.RecordFailure($"ip-{i}");
        Assert.Equal(3, throttle.Count);
    }

    [Fact]
    public async Task ConcurrentFailuresAreCountedExactly()
    {
        var throttle = new LoginThrottle(new LoginThrottleOptions { MaxFailures = 1000 }, _clock);
        var locked = await Task.WhenAll(Enumerable.Range(0, 999).Select(_ => Task.Run(() => throttle.RecordFailure("x"))));
        Assert.DoesNotContain(true, locked);
        Assert.True(throttle.RecordFailure("x"));
    }
}
