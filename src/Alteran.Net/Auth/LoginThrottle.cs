namespace Alteran.Net.Auth;

/// <summary>Settings of <see cref="LoginThrottle"/>.</summary>
public sealed class LoginThrottleOptions
{
    /// <summary>Failures within <see cref="Window"/> that trigger a lockout.</summary>
    public int MaxFailures { get; init; } = 5;
    /// <summary>Failures older than this (counted from the first of a run) are forgotten.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(15);
    /// <summary>How long a lockout lasts.</summary>
    public TimeSpan LockoutDuration { get; init; } = TimeSpan.FromMinutes(15);
    /// <summary>Most keys tracked at once; beyond it the least recently failed key is forgotten.</summary>
    public int Capacity { get; init; } = 100_000;
}

/// <summary>
/// Account/IP lockout for password logins: after <see cref="LoginThrottleOptions.MaxFailures"/> failures within the
/// window the key is locked for <see cref="LoginThrottleOptions.LockoutDuration"/>; a success clears it. Memory is
/// bounded by <see cref="LoginThrottleOptions.Capacity"/> (least-recently-failed eviction). Keys are opaque and
/// compared ordinally: normalise them first (lower-case handle or email, resolved DID) and use one instance per
/// dimension (account, client IP) so churn in one cannot evict the other.
/// Thread-safe; all times come from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class LoginThrottle
{
    private sealed class Entry(string key)
    {
        public readonly string Key = key;
        public int Failures;
        public DateTimeOffset WindowStart;
        public DateTimeOffset LockedUntil;
        public LinkedListNode<Entry>? Node;
    }

    private readonly LoginThrottleOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _order = new(); // front = least recently failed
    private readonly Lock _lock = new();

    /// <summary>Creates a throttle.</summary>
    public LoginThrottle(LoginThrottleOptions? options = null, TimeProvider? time = null)
    {
        _options = options ?? new LoginThrottleOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxFailures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.Capacity, 1);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Number of keys tracked.</summary>
    public int Count
    {
        get { lock (_lock) return _entries.Count; }
    }

    /// <summary>True while <paramref name="key"/> is locked out; <paramref name="retryAfter"/> is the time left.</summary>
    public bool IsLocked(string key, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var e) && e.LockedUntil > now)
            {
                retryAfter = e.LockedUntil - now;
                return true;
            }
        }
        retryAfter = TimeSpan.Zero;
        return false;
    }

    /// <summary>Counts a failed login; returns true when this failure (or an earlier one) has locked the key.</summary>
    public bool RecordFailure(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var e))
            {
                if (_entries.Count >= _options.Capacity)
                {
                    var oldest = _order.First!.Value;
                    _order.RemoveFirst();
                    _entries.Remove(oldest.Key);
                }
                e = new Entry(key) { WindowStart = now };
                _entries.Add(key, e);
                e.Node = _order.AddLast(e);
            }
            else
            {
                _order.Remove(e.Node!);
                _order.AddLast(e.Node!);
            }

            if (e.LockedUntil > now)
                return true;
            if (e.LockedUntil != default || now - e.WindowStart >= _options.Window)
            {
                // A finished lockout or a stale window starts a fresh count.
                e.Failures = 0;
                e.WindowStart = now;
                e.LockedUntil = default;
            }
            if (++e.Failures >= _options.MaxFailures)
            {
                e.LockedUntil = now + _options.LockoutDuration;
                return true;
            }
            return false;
        }
    }

    /// <summary>A successful login forgets the key's failures (callers check <see cref="IsLocked"/> first).</summary>
    public void RecordSuccess(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            if (_entries.Remove(key, out var e))
                _order.Remove(e.Node!);
        }
    }
}
