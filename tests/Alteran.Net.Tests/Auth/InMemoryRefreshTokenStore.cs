using Alteran.Net.Auth;

namespace Alteran.Net.Tests.Auth;

/// <summary>
/// TEST DOUBLE of the storage seam <see cref="IRefreshTokenStore"/> only (the real one belongs to the storage layer,
/// over RocksDB). A dictionary under one lock, so <see cref="TryRotate"/> is atomic like the contract demands.
/// </summary>
internal sealed class InMemoryRefreshTokenStore : IRefreshTokenStore
{
    private readonly Dictionary<string, RefreshTokenRecord> _records = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int Count { get { lock (_lock) return _records.Count; } }

    public RefreshTokenRecord? Get(string jti)
    {
        lock (_lock) return _records.GetValueOrDefault(jti);
    }

    public void Add(RefreshTokenRecord record)
    {
        lock (_lock) _records[record.Jti] = record;
    }

    public bool TryRotate(string jti, RefreshTokenRecord next)
    {
        lock (_lock)
        {
            if (!_records.TryGetValue(jti, out var current) || current.NextJti is not null)
                return false;
            _records[jti] = current with { NextJti = next.Jti, RotatedAt = next.IssuedAt };
            _records[next.Jti] = next;
            return true;
        }
    }

    public bool RevokeFamily(string familyId) => RemoveWhere(r => r.FamilyId == familyId);

    public void RevokeAllForDid(string did) => RemoveWhere(r => r.Did == did);

    public void RevokeForAppPassword(string did, string appPasswordName) =>
        RemoveWhere(r => r.Did == did && r.AppPasswordName == appPasswordName);

    private bool RemoveWhere(Func<RefreshTokenRecord, bool> match)
    {
        lock (_lock)
        {
            var doomed = _records.Values.Where(match).Select(r => r.Jti).ToList();
            foreach (var jti in doomed)
                _records.Remove(jti);
            return doomed.Count > 0;
        }
    }
}
