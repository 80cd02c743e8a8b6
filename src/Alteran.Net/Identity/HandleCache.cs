namespace Alteran.Net.Identity;

/// <summary>
/// A small bounded cache of handle → DID (or → not found) with per-entry expiry. When full, expired entries are
/// dropped first, then arbitrary ones: the cache is an optimisation, never a source of truth.
/// </summary>
public sealed class HandleCache(int capacity, TimeProvider time)
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Entries held (expired ones included until swept).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
                return _entries.Count;
        }
    }

    /// <summary>True when <paramref name="handle"/> has a live entry; <paramref name="did"/> is null for "not found".</summary>
    public bool TryGet(string handle, out string? did)
    {
        long now = time.GetTimestamp();
        lock (_lock)
        {
            if (_entries.TryGetValue(handle, out Entry entry))
            {
                if (now < entry.ExpiresAt)
                {
                    did = entry.Did;
                    return true;
                }
                _entries.Remove(handle);
            }
        }
        did = null;
        return false;
    }

    /// <summary>Remembers <paramref name="did"/> (null: not found) for <paramref name="ttl"/>.</summary>
    public void Set(string handle, string? did, TimeSpan ttl)
    {
        if (capacity <= 0 || ttl <= TimeSpan.Zero)
            return;
        long now = time.GetTimestamp();
        long expiresAt = now + (long)(ttl.TotalSeconds * time.TimestampFrequency);
        lock (_lock)
        {
            if (!_entries.ContainsKey(handle) && _entries.Count >= capacity)
                MakeRoom(now);
            _entries[handle] = new Entry(did, expiresAt);
        }
    }

    private void MakeRoom(long now)
    {
        var expired = new List<string>();
        foreach (KeyValuePair<string, Entry> pair in _entries)
        {
            if (pair.Value.ExpiresAt <= now)
                expired.Add(pair.Key);
        }
        foreach (string key in expired)
            _entries.Remove(key);
        // Still full: evict an eighth, so a burst of new names does not sweep on every insert.
        if (_entries.Count >= capacity)
        {
            int drop = Math.Max(1, capacity / 8);
            var victims = new List<string>(drop);
            foreach (string key in _entries.Keys)
            {
                victims.Add(key);
                if (victims.Count == drop)
                    break;
            }
            foreach (string key in victims)
                _entries.Remove(key);
        }
    }

    private readonly record struct Entry(string? Did, long ExpiresAt);
}
