using System.Buffers.Binary;
using Alteran.Storage.Accounts;
using Alteran.Storage.Log;
using Alteran.Storage.Rocks;

namespace Alteran.Storage;

public sealed partial class AlteranStore
{
    /// <summary>
    /// Creates an account, assigning its compact id (<see cref="WriteResult.AccountId"/>; also set on the row).
    /// Fails with <see cref="StorageError.Conflict"/> when the DID or handle is taken. An optional event
    /// (e.g. <c>#identity</c>) is logged in the same batch.
    /// </summary>
    public Task<WriteResult> CreateAccountAsync(AccountRow row, IEventEncoder? @event = null, EventBuffer? output = null) =>
        Enqueue(new AccountPutRequest(row, create: true, @event, output));

    /// <summary>Replaces an account row (handle change, status, credentials), keeping indexes unique; optional event.</summary>
    public Task<WriteResult> UpdateAccountAsync(AccountRow row, IEventEncoder? @event = null, EventBuffer? output = null) =>
        Enqueue(new AccountPutRequest(row, create: false, @event, output));

    /// <summary>Deletes an account and all of its repo, records, blobs and sessions; optional final event.</summary>
    public Task<WriteResult> DeleteAccountAsync(long account, IEventEncoder? @event = null, EventBuffer? output = null) =>
        Enqueue(new AccountDeleteRequest(this, account, @event, output));

    /// <summary>Reads an account by id.</summary>
    public AccountRow? GetAccount(long account)
    {
        byte[]? v = _db.Get(ColumnFamily.Accounts, AccountCodec.RowKey(account));
        return v is null ? null : AccountCodec.Decode(account, v);
    }

    /// <summary>Finds the account id for a DID.</summary>
    public bool TryGetAccountIdByDid(string did, out long account) => TryIndex(AccountCodec.DidTag, did, out account);

    /// <summary>Finds the account id for a handle.</summary>
    public bool TryGetAccountIdByHandle(string handle, out long account) => TryIndex(AccountCodec.HandleTag, handle, out account);

    private bool TryIndex(byte tag, string value, out long account)
    {
        byte[]? v = _db.Get(ColumnFamily.Accounts, AccountCodec.IndexKey(tag, value));
        account = v is null ? 0 : KeyCodec.ReadAccount(v);
        return v is not null;
    }

    // ---------------------------------------------------------------- sessions (no seq: direct synced writes)

    /// <summary>Stores a session (refresh token) durably.</summary>
    public unsafe void PutSession(ReadOnlySpan<byte> tokenId, long account, long expiresAt, ReadOnlySpan<byte> payload)
    {
        Span<byte> key = stackalloc byte[1 + SessionCodec.MaxTokenIdLength];
        Span<byte> index = stackalloc byte[9 + SessionCodec.MaxTokenIdLength];
        int kn = SessionCodec.WriteTokenKey(key, tokenId);
        int ixn = SessionCodec.WriteAccountKey(index, account, tokenId);
        byte[] value = new byte[16 + payload.Length];
        BinaryPrimitives.WriteInt64BigEndian(value, account);
        BinaryPrimitives.WriteInt64BigEndian(value.AsSpan(8), expiresAt);
        payload.CopyTo(value.AsSpan(16));
        nint wb = RocksNative.rocksdb_writebatch_create();
        _db.Enter(); // the column family handle stays valid while the batch is built
        try
        {
            nint cf = _db.Cf(ColumnFamily.Sessions);
            fixed (byte* k = key) fixed (byte* ix = index) fixed (byte* v = value)
            {
                RocksNative.rocksdb_writebatch_put_cf(wb, cf, k, (nuint)kn, v, (nuint)value.Length);
                RocksNative.rocksdb_writebatch_put_cf(wb, cf, ix, (nuint)ixn, null, 0);
            }
            _db.Write(wb, sync: true);
        }
        finally
        {
            RocksNative.rocksdb_writebatch_destroy(wb);
            _db.Exit();
        }
    }

    /// <summary>Reads a session, or null.</summary>
    public Session? GetSession(ReadOnlySpan<byte> tokenId)
    {
        Span<byte> key = stackalloc byte[1 + SessionCodec.MaxTokenIdLength];
        byte[]? v = _db.Get(ColumnFamily.Sessions, key[..SessionCodec.WriteTokenKey(key, tokenId)]);
        return v is null ? null : SessionCodec.Decode(v);
    }

    /// <summary>Deletes a session (refresh token rotation or logout).</summary>
    public unsafe void DeleteSession(ReadOnlySpan<byte> tokenId)
    {
        Session? s = GetSession(tokenId);
        if (s is null) return;
        Span<byte> key = stackalloc byte[1 + SessionCodec.MaxTokenIdLength];
        Span<byte> index = stackalloc byte[9 + SessionCodec.MaxTokenIdLength];
        int kn = SessionCodec.WriteTokenKey(key, tokenId);
        int ixn = SessionCodec.WriteAccountKey(index, s.AccountId, tokenId);
        nint wb = RocksNative.rocksdb_writebatch_create();
        _db.Enter(); // the column family handle stays valid while the batch is built
        try
        {
            nint cf = _db.Cf(ColumnFamily.Sessions);
            fixed (byte* k = key) fixed (byte* ix = index)
            {
                RocksNative.rocksdb_writebatch_delete_cf(wb, cf, k, (nuint)kn);
                RocksNative.rocksdb_writebatch_delete_cf(wb, cf, ix, (nuint)ixn);
            }
            _db.Write(wb, sync: true);
        }
        finally
        {
            RocksNative.rocksdb_writebatch_destroy(wb);
            _db.Exit();
        }
    }

    /// <summary>Deletes sessions that expired before <paramref name="nowMs"/>, looking at most
    /// <paramref name="maxScan"/> sessions per call (bounded; call periodically). Returns how many were deleted.</summary>
    public int PruneExpiredSessions(long nowMs, int maxScan = 10_000)
    {
        var expired = new List<byte[]>();
        ReadOnlySpan<byte> lower = [SessionCodec.TokenTag];
        ReadOnlySpan<byte> upper = [SessionCodec.AccountTag];
        using (RocksIterator it = _db.NewIterator(ColumnFamily.Sessions, lower, upper))
        {
            it.Seek(lower);
            for (int i = 0; it.Valid && i < maxScan; i++, it.Next())
                if (SessionCodec.Decode(it.Value).ExpiresAt < nowMs)
                    expired.Add(it.Key[1..].ToArray());
            it.ThrowIfError();
        }
        foreach (byte[] tokenId in expired)
            DeleteSession(tokenId);
        return expired.Count;
    }
}
