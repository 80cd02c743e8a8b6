namespace Alteran.Protocol.Syntax;

/// <summary>
/// Issues TIDs that strictly increase for the life of the clock, from any number of threads, without locks.
/// The timestamp part is the time source's microseconds, except that it never repeats or goes backwards: if the
/// system clock steps back, or several TIDs are asked for within one microsecond, the clock issues the last
/// timestamp plus one and lets real time catch up. The 10-bit clock id is fixed when the clock is created (random
/// unless given), so two clocks rarely collide. <see cref="Observe(Tid)"/> lifts the clock above a TID issued
/// earlier (e.g. the last stored repository <c>rev</c> after a restart), so new revisions always sort after it.
/// </summary>
public sealed class TidClock
{
    private readonly Func<long> _microseconds;
    private long _last = -1; // last timestamp issued (or observed); only ever grows

    /// <summary>A clock on the system time with a random clock id.</summary>
    public TidClock() : this(SystemMicroseconds, Random.Shared.Next(Tid.MaxClockId + 1)) { }

    /// <summary>A clock on the given time source (microseconds since the Unix epoch) with a random clock id.</summary>
    public TidClock(Func<long> microseconds) : this(microseconds, Random.Shared.Next(Tid.MaxClockId + 1)) { }

    /// <summary>A clock on the given time source and clock id.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The clock id is outside 0..1023.</exception>
    public TidClock(Func<long> microseconds, int clockId)
    {
        ArgumentNullException.ThrowIfNull(microseconds);
        ArgumentOutOfRangeException.ThrowIfNegative(clockId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(clockId, Tid.MaxClockId);
        _microseconds = microseconds;
        ClockId = clockId;
    }

    /// <summary>The clock id every TID from this clock carries.</summary>
    public int ClockId { get; }

    /// <summary>The system time in microseconds since the Unix epoch.</summary>
    public static long SystemMicroseconds() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    /// <summary>The next TID: greater than every TID this clock issued or observed before.</summary>
    /// <exception cref="InvalidOperationException">The timestamp would pass 2^53-1 microseconds (year 2255).</exception>
    public Tid Next()
    {
        while (true)
        {
            long last = Volatile.Read(ref _last);
            long now = _microseconds();
            long next = now > last ? now : last + 1;
            if (next > Tid.MaxTimestamp)
                throw new InvalidOperationException("The TID timestamp would overflow 53 bits.");
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
                return Tid.FromTimestamp(next, ClockId);
        }
    }

    /// <summary>
    /// Makes every later <see cref="Next"/> greater than <paramref name="tid"/>, whatever its clock id.
    /// Has no effect when the clock is already past it.
    /// </summary>
    public void Observe(Tid tid)
    {
        // Move past the whole microsecond: a TID with the same timestamp but a higher clock id would sort above ours.
        long floor = tid.Timestamp;
        while (true)
        {
            long last = Volatile.Read(ref _last);
            if (last >= floor || Interlocked.CompareExchange(ref _last, floor, last) == last)
                return;
        }
    }
}
