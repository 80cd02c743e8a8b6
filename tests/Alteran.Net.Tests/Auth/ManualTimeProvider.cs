namespace Alteran.Net.Tests.Auth;

/// <summary>A clock the test moves by hand (only <see cref="GetUtcNow"/> is used by the auth code).</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public ManualTimeProvider() : this(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    public long UnixSeconds => _now.ToUnixTimeSeconds();
}
