using System.Text;
using Alteran.Net.Auth;
using Alteran.Storage;
using Alteran.Storage.Accounts;

namespace Alteran.Net.Pds;

/// <summary>
/// <see cref="IRefreshTokenStore"/> over the store's <c>sessions</c> column family. Each refresh token is one session
/// row (key = jti, expiry in Unix ms so <c>PruneExpiredSessions</c> can drop it, payload = the record as JSON). The
/// sessions CF cannot be listed per account through the store's public API, so each account also has one
/// bookkeeping row (key <c>~families:&lt;account&gt;</c>, never expiring) listing its chains, which is what
/// <see cref="RevokeAllForDid"/> and <see cref="RevokeForAppPassword"/> walk. A chain is walked from its first jti
/// through <see cref="RefreshTokenRecord.NextJti"/>. Writes are serialised by one lock (single process), which makes
/// <see cref="TryRotate"/> atomic.
/// </summary>
public sealed class SessionStore(AlteranStore store) : IRefreshTokenStore
{
    /// <summary>Most chains remembered per account; logging in beyond it revokes the oldest chain.</summary>
    public const int MaxFamiliesPerAccount = 1000;

    private readonly Lock _lock = new();

    /// <inheritdoc />
    public RefreshTokenRecord? Get(string jti)
    {
        ArgumentNullException.ThrowIfNull(jti);
        if (jti.Length is 0 or > 128 || jti[0] == '~')
            return null;
        Session? s = store.GetSession(Encoding.UTF8.GetBytes(jti));
        return s is null ? null : Decode(s.Payload);
    }

    /// <inheritdoc />
    public void Add(RefreshTokenRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        long account = AccountOf(record.Did);
        lock (_lock)
        {
            Put(account, record);
            var families = ReadFamilies(account);
            families.Add(new FamilyEntry(record.FamilyId, record.AppPasswordName));
            while (families.Count > MaxFamiliesPerAccount)
            {
                DeleteChain(families[0].Id);
                families.RemoveAt(0);
            }
            WriteFamilies(account, families);
        }
    }

    /// <inheritdoc />
    public bool TryRotate(string jti, RefreshTokenRecord next)
    {
        ArgumentNullException.ThrowIfNull(next);
        lock (_lock)
        {
            RefreshTokenRecord? current = Get(jti);
            if (current is null || current.NextJti is not null)
                return false;
            long account = AccountOf(current.Did);
            Put(account, next); // successor first: a crash in between leaves an unreferenced row, never a dangling NextJti
            Put(account, current with { NextJti = next.Jti, RotatedAt = next.IssuedAt });
            return true;
        }
    }

    /// <inheritdoc />
    public bool RevokeFamily(string familyId)
    {
        ArgumentNullException.ThrowIfNull(familyId);
        lock (_lock)
        {
            RefreshTokenRecord? first = Get(familyId);
            bool any = DeleteChain(familyId);
            if (first is not null && store.TryGetAccountIdByDid(first.Did, out long account))
            {
                var families = ReadFamilies(account);
                if (families.RemoveAll(f => f.Id == familyId) > 0)
                    WriteFamilies(account, families);
            }
            return any;
        }
    }

    /// <inheritdoc />
    public void RevokeAllForDid(string did) => RevokeWhere(did, static (_, _) => true, null);

    /// <inheritdoc />
    public void RevokeForAppPassword(string did, string appPasswordName) =>
        RevokeWhere(did, static (f, name) => f.AppPassword == name, appPasswordName);

    private void RevokeWhere(string did, Func<FamilyEntry, string?, bool> match, string? arg)
    {
        if (!store.TryGetAccountIdByDid(did, out long account))
            return;
        lock (_lock)
        {
            var families = ReadFamilies(account);
            var keep = new List<FamilyEntry>(families.Count);
            foreach (FamilyEntry f in families)
            {
                if (match(f, arg))
                    DeleteChain(f.Id);
                else
                    keep.Add(f);
            }
            if (keep.Count != families.Count)
                WriteFamilies(account, keep);
        }
    }

    /// <summary>
    /// Deletes every chain of <paramref name="did"/> whose newest token expired before <paramref name="nowSeconds"/>;
    /// returns how many chains went. Use this, never the store's per-row <c>PruneExpiredSessions</c>: a chain is
    /// walked from its first token, so its rows must go together (the first expires before the later ones).
    /// </summary>
    public int PruneExpired(string did, long nowSeconds)
    {
        if (!store.TryGetAccountIdByDid(did, out long account))
            return 0;
        lock (_lock)
        {
            var families = ReadFamilies(account);
            var keep = new List<FamilyEntry>(families.Count);
            foreach (FamilyEntry f in families)
            {
                RefreshTokenRecord? last = null;
                string? jti = f.Id;
                for (int guard = 0; jti is not null && guard < 1_000_000; guard++)
                {
                    RefreshTokenRecord? r = Get(jti);
                    if (r is null)
                        break;
                    last = r;
                    jti = r.NextJti;
                }
                if (last is null || last.ExpiresAt <= nowSeconds)
                    DeleteChain(f.Id);
                else
                    keep.Add(f);
            }
            if (keep.Count != families.Count)
                WriteFamilies(account, keep);
            return families.Count - keep.Count;
        }
    }

    /// <summary>Deletes a chain from its first jti along NextJti (bounded: a chain cannot be longer than the rows stored).</summary>
    private bool DeleteChain(string firstJti)
    {
        bool any = false;
        string? jti = firstJti;
        for (int guard = 0; jti is not null && guard < 1_000_000; guard++)
        {
            RefreshTokenRecord? r = Get(jti);
            if (r is null)
                break;
            store.DeleteSession(Encoding.UTF8.GetBytes(jti));
            any = true;
            jti = r.NextJti;
        }
        return any;
    }

    private long AccountOf(string did) =>
        store.TryGetAccountIdByDid(did, out long account) ? account : throw new InvalidOperationException($"No account for {did}.");

    private void Put(long account, RefreshTokenRecord record)
    {
        byte[] payload = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(record, PdsJsonContext.Default.RefreshTokenRecord);
        long expiresMs = record.ExpiresAt > long.MaxValue / 1000 ? long.MaxValue : record.ExpiresAt * 1000;
        store.PutSession(Encoding.UTF8.GetBytes(record.Jti), account, expiresMs, payload);
    }

    private static RefreshTokenRecord? Decode(byte[] payload)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(payload, PdsJsonContext.Default.RefreshTokenRecord);
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // a corrupt row is an unknown token
        }
    }

    private List<FamilyEntry> ReadFamilies(long account)
    {
        byte[]? payload = AccountMetaRows.Read(store, AccountMetaRows.Families, account);
        if (payload is null)
            return [];
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(payload, PdsJsonContext.Default.ListFamilyEntry) ?? [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }

    private void WriteFamilies(long account, List<FamilyEntry> families) =>
        AccountMetaRows.Write(store, AccountMetaRows.Families, account,
            System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(families, PdsJsonContext.Default.ListFamilyEntry));
}

/// <summary>One session chain of an account: its first jti and the app password it was opened with (or null).</summary>
public sealed record FamilyEntry(string Id, string? AppPassword);
