using System.Buffers.Binary;
using Alteran.Protocol;
using Alteran.Protocol.Syntax;
using Alteran.Storage.Repos;
using Alteran.Storage.Rocks;

namespace Alteran.Storage.Blocks;

/// <summary>
/// Schema 1 → 2: prefixes every block value with a rev and adds its <c>block_revs</c> key. The commit that wrote an
/// old block is unknown, so each block gets its repo's head rev at upgrade time (0 for blocks of an account without
/// a root, or with a rev that is not a TID): a later <c>getRepo?since=</c> an older rev returns those blocks too,
/// a superset of the true diff. Runs at open, before the writer starts, in batches of <see cref="BatchBlocks"/>.
/// Resumable: each batch also writes its progress (<c>meta.migration_2_next</c>: the next block key to convert, empty
/// once done), so a crash part-way resumes where the last durable batch stopped and a rerun after the end (a crash
/// before the version stamp) converts nothing twice.
/// </summary>
internal static unsafe class BlockRevMigration
{
    private const int BatchBlocks = 4096;

    public static void Run(RocksDb db)
    {
        var revs = new Dictionary<long, ulong>();
        Span<byte> indexKey = stackalloc byte[BlockRevIndex.KeyLength];
        Span<byte> prefix = stackalloc byte[BlockRevIndex.RevLength];
        byte[]? progress = db.Get(ColumnFamily.Meta, MetaKeys.Migration2Next);
        if (progress is { Length: 0 })
            return; // finished before a crash kept the version stamp from being written
        byte[] resume = progress ?? [];
        nint batch = RocksNative.rocksdb_writebatch_create();
        try
        {
            while (true)
            {
                RocksNative.rocksdb_writebatch_clear(batch);
                int scanned = 0;
                using (RocksIterator it = db.NewIterator(ColumnFamily.Blocks, default, default))
                {
                    if (resume.Length == 0) it.SeekToFirst(); else it.Seek(resume);
                    for (; it.Valid && scanned < BatchBlocks; it.Next(), scanned++)
                    {
                        ReadOnlySpan<byte> key = it.Key;
                        if (key.Length != KeyCodec.BlockKeyLength || !Cid.TryReadExact(key[KeyCodec.AccountIdLength..], out Cid cid))
                            throw new StorageException(StorageError.Corruption, "Bad block key during migration.");
                        long account = KeyCodec.ReadAccount(key);
                        if (!revs.TryGetValue(account, out ulong rev))
                            revs[account] = rev = HeadRev(db, account);
                        BlockRevIndex.WriteKey(indexKey, account, rev, cid);
                        BinaryPrimitives.WriteUInt64BigEndian(prefix, rev);
                        ReadOnlySpan<byte> value = it.Value;
                        byte[] converted = new byte[prefix.Length + value.Length];
                        prefix.CopyTo(converted);
                        value.CopyTo(converted.AsSpan(prefix.Length));
                        Put(db, batch, ColumnFamily.Blocks, key, converted);
                        Put(db, batch, ColumnFamily.BlockRevs, indexKey, default);
                    }
                    it.ThrowIfError();
                    resume = it.Valid ? it.Key.ToArray() : [];
                }
                Put(db, batch, ColumnFamily.Meta, MetaKeys.Migration2Next, resume);
                db.Write(batch, sync: true);
                if (resume.Length == 0)
                    return;
            }
        }
        finally
        {
            RocksNative.rocksdb_writebatch_destroy(batch);
        }
    }

    private static ulong HeadRev(RocksDb db, long account)
    {
        Span<byte> key = stackalloc byte[KeyCodec.AccountIdLength];
        KeyCodec.WriteAccount(key, account);
        if (!db.TryGetPinned(ColumnFamily.RepoRoots, key, out PinnedValue v))
            return 0;
        using (v)
            return Tid.TryParse(RepoRootCodec.Read(v.Span).Rev, out Tid tid) ? tid.Value : 0;
    }

    private static void Put(RocksDb db, nint batch, ColumnFamily cf, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        db.Enter();
        try
        {
            fixed (byte* k = key)
            fixed (byte* v = value)
                RocksNative.rocksdb_writebatch_put_cf(batch, db.Cf(cf), k, (nuint)key.Length, v, (nuint)value.Length);
        }
        finally
        {
            db.Exit();
        }
    }
}
