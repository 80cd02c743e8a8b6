using System.Text;
using Alteran.Storage.Rocks;

namespace Alteran.Storage.Accounts;

/// <summary>
/// Schema 2 → 3: moves the PDS's per-account rows out of the <c>sessions</c> column family, where schema ≤ 2
/// builds kept them as never-expiring "sessions" with token id <c>~&lt;kind&gt;:&lt;account&gt;</c> (real token ids
/// are base64url and never start with <c>~</c>), into <c>account_meta</c> (<c>account | kind → payload</c>). Each row
/// moves in one batch (put the new key, delete the session key and its account index key), so a crash part-way
/// leaves every row in exactly one place and a rerun moves only what is left.
/// </summary>
internal static unsafe class AccountMetaMigration
{
    public static void Run(RocksDb db)
    {
        var rows = new List<(byte[] TokenKey, long Account, string Kind, byte[] Payload)>();
        ReadOnlySpan<byte> lower = [SessionCodec.TokenTag, (byte)'~'];
        ReadOnlySpan<byte> upper = [SessionCodec.TokenTag, (byte)'~' + 1];
        using (RocksIterator it = db.NewIterator(ColumnFamily.Sessions, lower, upper))
        {
            // Bounded by the real row count: at most a few rows per account.
            for (it.Seek(lower); it.Valid; it.Next())
            {
                string tokenId = Encoding.ASCII.GetString(it.Key[2..]);
                int colon = tokenId.IndexOf(':');
                Session session = SessionCodec.Decode(it.Value);
                if (colon <= 0 || colon > AccountMetaCodec.MaxKindLength || session.AccountId <= 0)
                    continue; // not one of ours: leave it
                rows.Add((it.Key.ToArray(), session.AccountId, tokenId[..colon], session.Payload));
            }
            it.ThrowIfError();
        }

        Span<byte> metaKey = stackalloc byte[AccountMetaCodec.MaxKeyLength];
        Span<byte> indexKey = stackalloc byte[9 + SessionCodec.MaxTokenIdLength];
        foreach ((byte[] tokenKey, long account, string kind, byte[] payload) in rows)
        {
            int mn = AccountMetaCodec.WriteKey(metaKey, account, kind);
            int ixn = SessionCodec.WriteAccountKey(indexKey, account, tokenKey.AsSpan(1));
            nint batch = RocksNative.rocksdb_writebatch_create();
            db.Enter();
            try
            {
                fixed (byte* m = metaKey) fixed (byte* p = payload) fixed (byte* t = tokenKey) fixed (byte* ix = indexKey)
                {
                    RocksNative.rocksdb_writebatch_put_cf(batch, db.Cf(ColumnFamily.AccountMeta), m, (nuint)mn, p, (nuint)payload.Length);
                    RocksNative.rocksdb_writebatch_delete_cf(batch, db.Cf(ColumnFamily.Sessions), t, (nuint)tokenKey.Length);
                    RocksNative.rocksdb_writebatch_delete_cf(batch, db.Cf(ColumnFamily.Sessions), ix, (nuint)ixn);
                }
                db.Write(batch, sync: true);
            }
            finally
            {
                db.Exit();
                RocksNative.rocksdb_writebatch_destroy(batch);
            }
        }
    }
}
