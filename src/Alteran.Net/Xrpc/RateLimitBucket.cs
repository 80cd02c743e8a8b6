using System.Collections.Concurrent;
using System.Text;

namespace Alteran.Net.Xrpc;

/// <summary>
/// A fixed-window counter per client key. Fixed windows (rather than token buckets) keep the state to one 64-bit
/// word per client, updated lock-free with a CAS, give an exact <c>RateLimit-Reset</c> (the window end), and match
/// the reference PDS (rate-limiter-flexible's points/duration windows). The key table is bounded: when it reaches
/// <see cref="MaxKeys"/>, expired windows are swept, then arbitrary entries until it is back to three quarters.
/// </summary>
public sealed class RateLimitBucket
{
    private readonly ConcurrentDictionary<UInt128, Window> _windows = new();
    private readonly long _windowMs;
    private int _count;
    private int _sweeping;

    /// <summary>Creates a bucket of <paramref name="limit"/> requests per <paramref name="window"/> (whole seconds).</summary>
    public RateLimitBucket(string name, int limit, TimeSpan window, int maxKeys)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.FromSeconds(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxKeys, 4);
        Name = name;
        Limit = limit;
        WindowSeconds = (long)window.TotalSeconds;
        _windowMs = WindowSeconds * 1000;
        MaxKeys = maxKeys;
        Policy = Encoding.ASCII.GetBytes($"{limit};w={WindowSeconds}");
    }

    /// <summary>Name for logs and tests (e.g. <c>global</c>, <c>login</c>).</summary>
    public string Name { get; }

    /// <summary>Requests allowed per window.</summary>
    public int Limit { get; }

    /// <summary>Window length in seconds.</summary>
    public long WindowSeconds { get; }

    /// <summary>Most keys tracked at once (approximately: concurrent inserts may overshoot by the number of racing threads).</summary>
    public int MaxKeys { get; }

    /// <summary>The <c>RateLimit-Policy</c> value, <c>limit;w=seconds</c>.</summary>
    public ReadOnlySpan<byte> PolicyUtf8 => Policy;

    /// <summary>Keys currently tracked.</summary>
    public int TrackedKeys => Volatile.Read(ref _count);

    private byte[] Policy { get; }

    /// <summary>Charges one request for <paramref name="key"/> at <paramref name="now"/>.</summary>
    public RateLimitDecision Acquire(UInt128 key, DateTimeOffset now)
    {
        long nowMs = now.ToUnixTimeMilliseconds();
        long index = nowMs / _windowMs;
        if (!_windows.TryGetValue(key, out Window? window))
        {
            window = AddWindow(key, index);
        }

        long used = window.Charge((uint)index);
        long reset = (index + 1) * WindowSeconds;
        int remaining = used >= Limit ? 0 : (int)(Limit - used);
        return new RateLimitDecision(used <= Limit, Limit, remaining, reset, this);
    }

    private Window AddWindow(UInt128 key, long index)
    {
        if (Volatile.Read(ref _count) >= MaxKeys)
        {
            Sweep((uint)index);
        }

        var created = new Window();
        Window window = _windows.GetOrAdd(key, created);
        if (ReferenceEquals(window, created))
        {
            Interlocked.Increment(ref _count);
        }

        return window;
    }

    private void Sweep(uint currentIndex)
    {
        if (Interlocked.Exchange(ref _sweeping, 1) != 0)
        {
            return; // another thread is sweeping; the overshoot is bounded by the racing inserts
        }

        try
        {
            int target = MaxKeys / 4 * 3;
            foreach (KeyValuePair<UInt128, Window> entry in _windows)
            {
                if (entry.Value.Index != currentIndex && _windows.TryRemove(entry))
                {
                    Interlocked.Decrement(ref _count);
                }
            }

            // Still full of live windows (a flood of distinct clients): drop arbitrary ones; they restart their
            // window, which is the price of bounded memory.
            foreach (KeyValuePair<UInt128, Window> entry in _windows)
            {
                if (Volatile.Read(ref _count) <= target)
                {
                    break;
                }

                if (_windows.TryRemove(entry))
                {
                    Interlocked.Decrement(ref _count);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    /// <summary>One client's window: window index in the high 32 bits, requests counted in the low 32.</summary>
    private sealed class Window
    {
        private long _state;

        public uint Index => (uint)((ulong)Volatile.Read(ref _state) >> 32);

        /// <summary>Counts one request in window <paramref name="index"/>; returns the count including it.</summary>
        public long Charge(uint index)
        {
            while (true)
            {
                long state = Volatile.Read(ref _state);
                uint stateIndex = (uint)((ulong)state >> 32);
                uint count = (uint)state;
                uint next = stateIndex == index ? (count == uint.MaxValue ? count : count + 1) : 1;
                long updated = (long)(((ulong)index << 32) | next);
                if (state == updated || Interlocked.CompareExchange(ref _state, updated, state) == state)
                {
                    return next;
                }
            }
        }
    }
}
