using Alteran.Storage.Accounts;
using Alteran.Storage.Rocks;

namespace Alteran.Storage;

public sealed partial class AlteranStore
{
    /// <summary>
    /// Reads a per-account metadata row (<paramref name="kind"/>: printable ASCII, 1..64 characters, e.g.
    /// <c>prefs</c>), or null. Rows are small values the PDS keeps beside the repo (preferences, app passwords,
    /// session chains); storage treats them as opaque bytes.
    /// </summary>
    public byte[]? GetAccountMeta(long account, string kind)
    {
        Span<byte> key = stackalloc byte[AccountMetaCodec.MaxKeyLength];
        return _db.Get(ColumnFamily.AccountMeta, key[..AccountMetaCodec.WriteKey(key, account, kind)]);
    }

    /// <summary>
    /// Replaces a per-account metadata row, durably (synced write). Not sequenced through the commit writer: a
    /// row is independent of every other key, and callers serialise their own read-modify-write cycles. Deleting
    /// the account deletes its rows.
    /// </summary>
    public void PutAccountMeta(long account, string kind, ReadOnlySpan<byte> value)
    {
        if (value.Length > AccountMetaCodec.MaxValueLength)
            throw new ArgumentException($"Account metadata values are limited to {AccountMetaCodec.MaxValueLength} bytes.", nameof(value));
        Span<byte> key = stackalloc byte[AccountMetaCodec.MaxKeyLength];
        _db.Put(ColumnFamily.AccountMeta, key[..AccountMetaCodec.WriteKey(key, account, kind)], value, sync: true);
    }

    /// <summary>Deletes a per-account metadata row (no-op when absent).</summary>
    public unsafe void DeleteAccountMeta(long account, string kind)
    {
        Span<byte> key = stackalloc byte[AccountMetaCodec.MaxKeyLength];
        int n = AccountMetaCodec.WriteKey(key, account, kind);
        nint wb = RocksNative.rocksdb_writebatch_create();
        _db.Enter(); // the column family handle stays valid while the batch is built
        try
        {
            fixed (byte* k = key)
                RocksNative.rocksdb_writebatch_delete_cf(wb, _db.Cf(ColumnFamily.AccountMeta), k, (nuint)n);
            _db.Write(wb, sync: true);
        }
        finally
        {
            RocksNative.rocksdb_writebatch_destroy(wb);
            _db.Exit();
        }
    }
}
