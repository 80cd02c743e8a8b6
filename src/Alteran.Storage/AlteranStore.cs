using System.Buffers.Binary;
using Alteran.Storage.Rocks;

namespace Alteran.Storage;

/// <summary>
/// The durable state of the PDS: repos (blocks, record index, roots), the event log, accounts, sessions and blobs,
/// in one RocksDB database (<c>&lt;root&gt;/db</c>) plus blob files (<c>&lt;root&gt;/blobs</c>). Keyed by a compact
/// numeric account id, so one store serves one account or thousands.
/// Writes that need ordering (commits, events, account changes, blob rows) go through one group-commit writer and
/// are durable (WAL fsynced) when their task completes. Reads are lock-free and thread-safe.
/// Cursors (<see cref="ListRecords"/>, <see cref="StreamRepoBlocks"/>, <see cref="ReadEvents"/>) hold the database
/// open until disposed: <see cref="Dispose"/> closes it when the last one is disposed, and meanwhile every other
/// call fails with <see cref="StorageError.Closed"/>. Always dispose cursors.
/// Byte layouts: STORAGE-LAYOUT.md.
/// </summary>
public sealed partial class AlteranStore : IDisposable
{
    /// <summary>The schema version this build writes. Stores with a higher version are refused.</summary>
    public const int CurrentSchemaVersion = 3;

    // Replaced (under _lifecycle) only by Reopen; readers racing a swap get StorageError.Closed and retry.
    private RocksDb _db;
    private GroupCommitWriter _writer;
    private readonly object _lifecycle = new();
    private readonly StoreOptions _options;
    private readonly string _blobRoot;
    private int _disposed;

    private AlteranStore(string root, RocksDb db, StoreOptions options, long lastSeq, long nextAccountId)
    {
        Root = root;
        _db = db;
        _options = options;
        _blobRoot = Path.Combine(root, "blobs");
        _writer = new GroupCommitWriter(db, lastSeq, nextAccountId, options.MaxGroupCommit, options.UnixTimeMilliseconds);
    }

    /// <summary>The store's root directory.</summary>
    public string Root { get; }

    /// <summary>The highest durable event seq (0 when the log has never had an event).</summary>
    public long LastSeq => _writer.DurableSeq;

    /// <summary>How many synced write batches were written since open (each may hold many writes).</summary>
    public long WriteBatchCount => _writer.BatchCount;

    /// <summary>Bytes the shared RocksDB cache (blocks + charged memtables) currently holds.</summary>
    public long CacheUsageBytes => _db.CacheUsage;

    /// <summary>
    /// Opens the store at <paramref name="root"/>, creating it if missing. Throws <see cref="StorageException"/>
    /// with <see cref="StorageError.SchemaTooNew"/> for a store written by a newer version, and migrates older ones.
    /// </summary>
    public static AlteranStore Open(string root, StoreOptions? options = null)
    {
        options ??= new StoreOptions();
        options.Validate();
        Directory.CreateDirectory(root);
        Directory.CreateDirectory(Path.Combine(root, "blobs", "tmp"));
        RocksDb db = RocksDb.Open(Path.Combine(root, "db"), options);
        try
        {
            Migrate(db);
            // Holding RocksDB's LOCK, no other process uses this store: leftovers in blobs/tmp are uploads that
            // a crash interrupted.
            foreach (string file in Directory.EnumerateFiles(Path.Combine(root, "blobs", "tmp")))
                File.Delete(file);
            long lastSeq = ReadLastSeq(db);
            long nextAccountId = ReadMetaInt64(db, MetaKeys.NextAccountId) ?? 1;
            return new AlteranStore(root, db, options, lastSeq, nextAccountId);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    private static void Migrate(RocksDb db)
    {
        long? stored = ReadMetaInt64(db, MetaKeys.SchemaVersion);
        if (stored is null)
        {
            // A new store, or one written before the version key existed (none were): stamp the current version.
            WriteSchemaVersion(db, CurrentSchemaVersion);
            return;
        }
        if (stored > CurrentSchemaVersion)
            throw new StorageException(StorageError.SchemaTooNew,
                $"The store has schema version {stored}; this build understands up to {CurrentSchemaVersion}. Use a newer Alteran.");
        // Upgrade one version at a time, stamping each step, so a crash mid-migration re-runs only the step
        // it interrupted (each step must therefore be idempotent).
        for (long v = stored.Value; v < CurrentSchemaVersion; v++)
        {
            if (v - 1 >= s_migrations.Length)
                throw new StorageException(StorageError.Other, $"No migration from schema version {v}.");
            s_migrations[v - 1](db);
            WriteSchemaVersion(db, v + 1);
        }
    }

    /// <summary>s_migrations[i] upgrades schema version i + 1 to i + 2 (see STORAGE-LAYOUT.md, "Schema versions").</summary>
    private static readonly Action<RocksDb>[] s_migrations =
    [
        Blocks.BlockRevMigration.Run, // 1 → 2: rev prefix on block values + block_revs index
        Accounts.AccountMetaMigration.Run, // 2 → 3: per-account rows move from sessions to account_meta
    ];

    internal static void WriteSchemaVersion(RocksDb db, long version)
    {
        Span<byte> value = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(value, version);
        db.Put(ColumnFamily.Meta, MetaKeys.SchemaVersion, value, sync: true);
    }

    /// <summary>Test hook: rewrites the schema version of a closed store.</summary>
    internal static void WriteSchemaVersionForTests(string root, StoreOptions options, long version)
    {
        using RocksDb db = RocksDb.Open(Path.Combine(root, "db"), options);
        WriteSchemaVersion(db, version);
    }

    /// <summary>The durable seq: the larger of meta.last_seq and the newest event (they agree, both written in
    /// every batch that appends events; the event log alone would lose it once pruned empty).</summary>
    private static long ReadLastSeq(RocksDb db)
    {
        long seq = ReadMetaInt64(db, MetaKeys.LastSeq) ?? 0;
        using RocksIterator it = db.NewIterator(ColumnFamily.Events, default, default);
        it.SeekToLast();
        if (it.Valid)
            seq = Math.Max(seq, KeyCodec.ReadSeq(it.Key));
        it.ThrowIfError();
        return seq;
    }

    private static long? ReadMetaInt64(RocksDb db, ReadOnlySpan<byte> key)
    {
        if (!db.TryGetPinned(ColumnFamily.Meta, key, out PinnedValue v))
            return null;
        using (v)
        {
            if (v.Span.Length != 8)
                throw new StorageException(StorageError.Corruption, "Bad meta value length.");
            return BinaryPrimitives.ReadInt64BigEndian(v.Span);
        }
    }

    /// <summary>The schema version stored in meta.</summary>
    public long SchemaVersion => ReadMetaInt64(_db, MetaKeys.SchemaVersion) ?? 0;

    internal RocksDb Db => _db;

    private Task<WriteResult> Enqueue(WriteRequest request)
    {
        if (Volatile.Read(ref _disposed) != 0)
            return Task.FromException<WriteResult>(new StorageException(StorageError.Closed, "The store is closed."));
        return _writer.Enqueue(request);
    }

    /// <summary>
    /// Closes and reopens the database in place, e.g. after a write failed with <see cref="StorageError.NoSpace"/>
    /// or <see cref="StorageError.IoError"/> (RocksDB then refuses further writes) and the cause was fixed.
    /// Queued writes finish (or fail) first; calls made during the swap fail with <see cref="StorageError.Closed"/>.
    /// Waits up to <paramref name="timeout"/> for open cursors to be disposed; throws
    /// <see cref="StorageError.Other"/> if they are not (call again later: the old database is closing meanwhile).
    /// </summary>
    public void Reopen(TimeSpan timeout)
    {
        lock (_lifecycle)
        {
            if (Volatile.Read(ref _disposed) != 0)
                throw new StorageException(StorageError.Closed, "The store is closed.");
            _writer.Dispose();
            _db.Dispose();
            if (!_db.WaitClosed(timeout))
                throw new StorageException(StorageError.Other, "Open cursors kept the database from closing; retry Reopen after disposing them.");
            RocksDb db = RocksDb.Open(Path.Combine(Root, "db"), _options);
            try
            {
                long lastSeq = ReadLastSeq(db);
                long nextAccountId = ReadMetaInt64(db, MetaKeys.NextAccountId) ?? 1;
                _writer = new GroupCommitWriter(db, lastSeq, nextAccountId, _options.MaxGroupCommit, _options.UnixTimeMilliseconds);
            }
            catch
            {
                db.Dispose();
                throw;
            }
            _db = db;
        }
    }

    /// <summary>Finishes queued writes and closes the database (when the last open cursor is disposed).</summary>
    public void Dispose()
    {
        lock (_lifecycle)
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
                return;
            _writer.Dispose();
            _db.Dispose();
        }
    }
}
