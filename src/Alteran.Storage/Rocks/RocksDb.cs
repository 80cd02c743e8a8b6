using System.Runtime.InteropServices;
using System.Text;

namespace Alteran.Storage.Rocks;

/// <summary>
/// An open RocksDB database with a fixed list of column families, plus the option objects it owns (shared LRU
/// cache, write buffer manager). Thin: the store types above give the keys their meaning.
/// Thread-safe for reads and writes (RocksDB is); <see cref="Dispose"/> must not race other calls.
/// </summary>
internal sealed unsafe class RocksDb : IDisposable
{
    private nint _db;
    private readonly nint[] _cfHandles;
    private readonly List<nint> _cfOptions = new();
    private readonly List<nint> _tableOptions = new();
    private readonly nint _dbOptions;
    private readonly nint _cache;
    private readonly nint _wbm;
    private readonly nint _syncWrite;
    private readonly nint _plainWrite;
    private readonly nint _defaultRead;

    private RocksDb(nint db, nint[] cfHandles, nint dbOptions, nint cache, nint wbm, List<nint> cfOptions, List<nint> tableOptions)
    {
        _db = db;
        _cfHandles = cfHandles;
        _dbOptions = dbOptions;
        _cache = cache;
        _wbm = wbm;
        _cfOptions = cfOptions;
        _tableOptions = tableOptions;
        _syncWrite = RocksNative.rocksdb_writeoptions_create();
        RocksNative.rocksdb_writeoptions_set_sync(_syncWrite, 1);
        _plainWrite = RocksNative.rocksdb_writeoptions_create();
        // A stalled write (flushes cannot keep up, or fail on a full disk) returns "Incomplete" instead of blocking
        // inside rocksdb_write, where nothing could ever time it out: Write retries with back-off for a bounded time.
        RocksNative.rocksdb_writeoptions_set_no_slowdown(_syncWrite, 1);
        RocksNative.rocksdb_writeoptions_set_no_slowdown(_plainWrite, 1);
        _defaultRead = RocksNative.rocksdb_readoptions_create();
    }

    // Lifetime: every native call (and every open iterator/snapshot) holds a lease; Dispose marks the database
    // closing and the last lease to leave closes it, so a read racing shutdown gets StorageError.Closed, never a
    // use-after-free inside RocksDB.
    private int _leases;
    private int _closing;
    private int _closed;

    /// <summary>Takes a lease and returns the native handle; throws <see cref="StorageError.Closed"/> when closing.</summary>
    public nint Enter()
    {
        Interlocked.Increment(ref _leases);
        if (Volatile.Read(ref _closing) != 0)
        {
            Exit();
            throw new StorageException(StorageError.Closed, "The store is closed.");
        }
        return _db;
    }

    /// <summary>Returns a lease taken by <see cref="Enter"/>.</summary>
    public void Exit()
    {
        if (Interlocked.Decrement(ref _leases) == 0 && Volatile.Read(ref _closing) != 0)
            CloseNow();
    }

    public nint Cf(ColumnFamily cf) => _cfHandles[(int)cf];

    public nint DefaultReadOptions => _defaultRead;

    /// <summary>Opens (creating if missing) the database at <paramref name="path"/> with every <see cref="ColumnFamily"/>.</summary>
    public static RocksDb Open(string path, StoreOptions options)
    {
        nint cache = RocksNative.rocksdb_cache_create_lru((nuint)(options.BlockCacheBytes + options.MemtableBudgetBytes));
        // Memtables of every CF are charged to the same LRU cache, so cache + memtables stay within one budget: past
        // the budget the manager forces flushes. No allowStall: a stalled writer waits for a flush to free memory, and
        // when flushes fail (disk full) that wait never ends (the group-commit thread hung in rocksdb_write). Without
        // it a failed flush puts the DB in its background-error state and writes fail with an error instead; memory
        // stays bounded by write_buffer_size × max_write_buffer_number per CF.
        nint wbm = RocksNative.rocksdb_write_buffer_manager_create_with_cache((nuint)options.MemtableBudgetBytes, cache, 0);

        nint dbOptions = RocksNative.rocksdb_options_create();
        RocksNative.rocksdb_options_set_create_if_missing(dbOptions, 1);
        RocksNative.rocksdb_options_set_create_missing_column_families(dbOptions, 1);
        RocksNative.rocksdb_options_set_max_open_files(dbOptions, options.MaxOpenFiles);
        RocksNative.rocksdb_options_set_max_background_jobs(dbOptions, options.BackgroundJobs);
        RocksNative.rocksdb_options_set_write_buffer_manager(dbOptions, wbm);
        RocksNative.rocksdb_options_set_max_total_wal_size(dbOptions, (ulong)options.MemtableBudgetBytes * 2);
        RocksNative.rocksdb_options_set_keep_log_file_num(dbOptions, 3);
        RocksNative.rocksdb_options_set_max_log_file_size(dbOptions, 4 << 20);
        RocksNative.rocksdb_options_set_info_log_level(dbOptions, 2); // WARN: the LOG file stays small
        // Flush all CFs together: the SST files then always hold a cross-CF consistent prefix of the commit
        // batches (which span several CFs), independent of WAL replay.
        RocksNative.rocksdb_options_set_atomic_flush(dbOptions, 1);

        var cfOptions = new List<nint>();
        var tableOptions = new List<nint>();
        var descriptors = ColumnFamilies.All;
        int n = descriptors.Length;
        var names = new nint[n];
        var opts = new nint[n];
        var handles = new nint[n];
        try
        {
            RefuseUnknownColumnFamilies(dbOptions, path);
            for (int i = 0; i < n; i++)
            {
                names[i] = Marshal.StringToCoTaskMemUTF8(descriptors[i].Name);
                opts[i] = CreateCfOptions(descriptors[i], options, cache, wbm, tableOptions);
                cfOptions.Add(opts[i]);
            }
            byte* err = null;
            nint db;
            byte[] pathBytes = Utf8Z(path);
            fixed (byte* p = pathBytes)
            fixed (nint* pn = names)
            fixed (nint* po = opts)
            fixed (nint* ph = handles)
                db = RocksNative.rocksdb_open_column_families(dbOptions, p, n, (byte**)pn, po, ph, &err);
            ThrowIfError(err);
            return new RocksDb(db, handles, dbOptions, cache, wbm, cfOptions, tableOptions);
        }
        catch
        {
            foreach (nint o in cfOptions) RocksNative.rocksdb_options_destroy(o);
            foreach (nint t in tableOptions) RocksNative.rocksdb_block_based_options_destroy(t);
            RocksNative.rocksdb_options_destroy(dbOptions);
            RocksNative.rocksdb_write_buffer_manager_destroy(wbm);
            RocksNative.rocksdb_cache_destroy(cache);
            throw;
        }
        finally
        {
            foreach (nint s in names) Marshal.FreeCoTaskMem(s);
        }
    }

    /// <summary>A column family this build does not know was created by a newer version: refuse to open
    /// (RocksDB would refuse anyway, with a less useful message).</summary>
    private static void RefuseUnknownColumnFamilies(nint dbOptions, string path)
    {
        if (!File.Exists(Path.Combine(path, "CURRENT")))
            return; // new database
        byte[] pathBytes = Utf8Z(path);
        byte* err = null;
        nuint count;
        byte** names;
        fixed (byte* p = pathBytes)
            names = RocksNative.rocksdb_list_column_families(dbOptions, p, &count, &err);
        ThrowIfError(err);
        string? unknown = null;
        for (nuint i = 0; i < count; i++)
        {
            string name = Marshal.PtrToStringUTF8((nint)names[i]) ?? "";
            if (Array.FindIndex(ColumnFamilies.All, d => d.Name == name) < 0)
                unknown ??= name;
        }
        RocksNative.rocksdb_list_column_families_destroy(names, count);
        if (unknown is not null)
            throw new StorageException(StorageError.SchemaTooNew, $"The store has column family '{unknown}', unknown to this build (written by a newer version?).");
    }

    private static nint CreateCfOptions(ColumnFamilyDescriptor d, StoreOptions options, nint cache, nint wbm, List<nint> tableOptions)
    {
        nint o = RocksNative.rocksdb_options_create();
        RocksNative.rocksdb_options_set_write_buffer_manager(o, wbm);
        RocksNative.rocksdb_options_set_write_buffer_size(o, (nuint)Math.Min(options.WriteBufferBytes, options.MemtableBudgetBytes));
        RocksNative.rocksdb_options_set_max_write_buffer_number(o, options.MaxWriteBuffers);
        RocksNative.rocksdb_options_set_level_compaction_dynamic_level_bytes(o, 1);
        // LZ4 is cheap enough for the hot upper levels; the bottommost level (most of the data) gets zstd.
        RocksNative.rocksdb_options_set_compression(o, d.Compress ? RocksNative.Lz4Compression : RocksNative.NoCompression);
        RocksNative.rocksdb_options_set_bottommost_compression(o, d.Compress ? RocksNative.ZstdCompression : RocksNative.NoCompression);

        nint t = RocksNative.rocksdb_block_based_options_create();
        tableOptions.Add(t);
        RocksNative.rocksdb_block_based_options_set_block_cache(t, cache);
        RocksNative.rocksdb_block_based_options_set_block_size(t, (nuint)d.BlockSize);
        RocksNative.rocksdb_block_based_options_set_format_version(t, 6);
        // Index and filter blocks live in the bounded cache too (otherwise they grow with the data, outside the budget).
        RocksNative.rocksdb_block_based_options_set_cache_index_and_filter_blocks(t, 1);
        RocksNative.rocksdb_block_based_options_set_pin_l0_filter_and_index_blocks_in_cache(t, 1);
        if (d.PointLookups)
            RocksNative.rocksdb_block_based_options_set_filter_policy(t, RocksNative.rocksdb_filterpolicy_create_bloom_full(10));
        RocksNative.rocksdb_options_set_block_based_table_factory(o, t);

        if (d.PrefixLength > 0)
        {
            RocksNative.rocksdb_options_set_prefix_extractor(o, RocksNative.rocksdb_slicetransform_create_fixed_prefix((nuint)d.PrefixLength));
            // Each memtable bloom is allocated and zeroed up front (ratio × write buffer): 0.02 of a 16 MiB memtable is
            // 2.7 Mbit, still > 13 bits per key for the ~200k small keys a memtable holds; 0.05 cost 2.4 MiB more idle RSS.
            RocksNative.rocksdb_options_set_memtable_prefix_bloom_size_ratio(o, 0.02);
            // Whole keys go into the same memtable bloom (no extra memory): the commit path asks "does this block
            // exist?" for every new block, and the answer is nearly always no; without it each miss walked the
            // memtable skip list (~10% of the writer's CPU in a createRecord profile). Not extended to the CFs without
            // a prefix, which would each need a bloom of their own.
            if (d.PointLookups)
                RocksNative.rocksdb_options_set_memtable_whole_key_filtering(o, 1);
        }
        return o;
    }

    // ---------------------------------------------------------------- reads

    /// <summary>Reads a value into a pinned slice; <c>false</c> when the key is absent.</summary>
    public bool TryGetPinned(ColumnFamily cf, ReadOnlySpan<byte> key, out PinnedValue value, nint readOptions = 0)
    {
        byte* err = null;
        nint slice;
        nint db = Enter();
        try
        {
            fixed (byte* k = key)
                slice = RocksNative.rocksdb_get_pinned_cf(db, readOptions == 0 ? _defaultRead : readOptions, Cf(cf), k, (nuint)key.Length, &err);
        }
        catch
        {
            Exit();
            throw;
        }
        if (slice == 0)
        {
            Exit();
            ThrowIfError(err);
            value = default;
            return false;
        }
        value = new PinnedValue(slice, this); // keeps the lease until disposed: the slice pins RocksDB memory
        return true;
    }

    /// <summary>Reads a value as a new array (for cold paths), or null.</summary>
    public byte[]? Get(ColumnFamily cf, ReadOnlySpan<byte> key)
    {
        if (!TryGetPinned(cf, key, out PinnedValue v))
            return null;
        using (v)
            return v.Span.ToArray();
    }

    public RocksIterator NewIterator(ColumnFamily cf, ReadOnlySpan<byte> lowerBound, ReadOnlySpan<byte> upperBound, nint snapshot = 0) =>
        new(this, cf, lowerBound, upperBound, snapshot);

    // ---------------------------------------------------------------- writes

    /// <summary>How long a write may wait out a RocksDB write stall before it fails with <see cref="StorageError.IoError"/>.</summary>
    public static readonly TimeSpan WriteStallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Applies a batch atomically; with <paramref name="sync"/> the WAL is fsynced before returning. A write stall
    /// (nothing applied) is retried with back-off up to <see cref="WriteStallTimeout"/>, then reported as an error.
    /// </summary>
    public void Write(nint batch, bool sync)
    {
        long deadline = Environment.TickCount64 + (long)WriteStallTimeout.TotalMilliseconds;
        for (int attempt = 0; ; attempt++)
        {
            byte* err = null;
            nint db = Enter();
            try
            {
                RocksNative.rocksdb_write(db, sync ? _syncWrite : _plainWrite, batch, &err);
            }
            finally
            {
                Exit();
            }
            if (err == null)
                return;
            string message = Marshal.PtrToStringUTF8((nint)err) ?? "unknown error";
            RocksNative.rocksdb_free(err);
            if (!IsWriteStall(message))
                throw StorageException.FromRocks(message);
            if (Environment.TickCount64 >= deadline)
                throw new StorageException(StorageError.IoError,
                    $"Writes stalled for {WriteStallTimeout.TotalSeconds:0} s (flushes not keeping up or failing, e.g. disk full): {message}");
            Thread.Sleep(Math.Min(50, 1 << Math.Min(attempt, 5)));
        }
    }

    // With no_slowdown RocksDB reports a stall as Status::Incomplete ("Write stall"), having applied nothing.
    private static bool IsWriteStall(string message) =>
        message.Contains("Write stall", StringComparison.OrdinalIgnoreCase) || message.StartsWith("Result incomplete", StringComparison.Ordinal);

    public void Put(ColumnFamily cf, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool sync)
    {
        nint wb = RocksNative.rocksdb_writebatch_create();
        Enter();
        try
        {
            fixed (byte* k = key)
            fixed (byte* v = value)
                RocksNative.rocksdb_writebatch_put_cf(wb, Cf(cf), k, (nuint)key.Length, v, (nuint)value.Length);
            Write(wb, sync);
        }
        finally
        {
            RocksNative.rocksdb_writebatch_destroy(wb);
            Exit();
        }
    }

    public void CreateCheckpoint(string directory)
    {
        byte* err = null;
        nint cp = RocksNative.rocksdb_checkpoint_object_create(Enter(), &err);
        try
        {
            ThrowIfError(err);
            byte[] dir = Utf8Z(directory);
            fixed (byte* d = dir)
                RocksNative.rocksdb_checkpoint_create(cp, d, 0, &err); // 0: always flush memtables, the checkpoint holds no WAL tail to replay
            ThrowIfError(err);
        }
        finally
        {
            if (cp != 0) RocksNative.rocksdb_checkpoint_object_destroy(cp);
            Exit();
        }
    }

    public string? GetProperty(ColumnFamily cf, string name)
    {
        byte[] n = Utf8Z(name);
        byte* v;
        nint db = Enter();
        try
        {
            fixed (byte* p = n)
                v = RocksNative.rocksdb_property_value_cf(db, Cf(cf), p);
        }
        finally
        {
            Exit();
        }
        if (v == null)
            return null;
        string s = Marshal.PtrToStringUTF8((nint)v)!;
        RocksNative.rocksdb_free(v);
        return s;
    }

    public void CompactRange(ColumnFamily cf, ReadOnlySpan<byte> start, ReadOnlySpan<byte> limit)
    {
        nint db = Enter();
        try
        {
            fixed (byte* s = start)
            fixed (byte* l = limit)
                RocksNative.rocksdb_compact_range_cf(db, Cf(cf), s, (nuint)start.Length, l, (nuint)limit.Length);
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Test hook: adds a column family this build does not know (as a newer version would).</summary>
    internal void CreateColumnFamilyForTests(string name)
    {
        byte[] n = Utf8Z(name);
        byte* err = null;
        nint o = RocksNative.rocksdb_options_create();
        nint db = Enter();
        try
        {
            fixed (byte* p = n)
            {
                nint cf = RocksNative.rocksdb_create_column_family(db, o, p, &err);
                ThrowIfError(err);
                RocksNative.rocksdb_column_family_handle_destroy(cf);
            }
        }
        finally
        {
            RocksNative.rocksdb_options_destroy(o);
            Exit();
        }
    }

    public long CacheUsage => (long)RocksNative.rocksdb_cache_get_usage(_cache);

    // ---------------------------------------------------------------- errors

    public static void ThrowIfError(byte* err)
    {
        if (err == null)
            return;
        string message = Marshal.PtrToStringUTF8((nint)err) ?? "unknown error";
        RocksNative.rocksdb_free(err);
        throw StorageException.FromRocks(message);
    }

    internal static byte[] Utf8Z(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }

    /// <summary>After <see cref="Dispose"/>: waits until the last lease is returned and the database is closed.</summary>
    public bool WaitClosed(TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (Volatile.Read(ref _closed) == 0)
        {
            if (Environment.TickCount64 > deadline)
                return false;
            Thread.Sleep(5);
        }
        return true;
    }

    /// <summary>Closes now if no lease is held, else when the last lease is returned.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
            return;
        if (Volatile.Read(ref _leases) == 0)
            CloseNow();
    }

    private void CloseNow()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
            return;
        nint db = _db;
        _db = 0;
        RocksNative.rocksdb_cancel_all_background_work(db, 1);
        foreach (nint h in _cfHandles)
            if (h != 0) RocksNative.rocksdb_column_family_handle_destroy(h);
        RocksNative.rocksdb_close(db);
        RocksNative.rocksdb_writeoptions_destroy(_syncWrite);
        RocksNative.rocksdb_writeoptions_destroy(_plainWrite);
        RocksNative.rocksdb_readoptions_destroy(_defaultRead);
        foreach (nint o in _cfOptions) RocksNative.rocksdb_options_destroy(o);
        foreach (nint t in _tableOptions) RocksNative.rocksdb_block_based_options_destroy(t);
        RocksNative.rocksdb_options_destroy(_dbOptions);
        RocksNative.rocksdb_write_buffer_manager_destroy(_wbm);
        RocksNative.rocksdb_cache_destroy(_cache);
    }
}

/// <summary>A value pinned inside RocksDB (no copy); valid until disposed. When created with a database it
/// holds one lease on it, returned on dispose.</summary>
internal readonly unsafe struct PinnedValue : IDisposable
{
    private readonly nint _slice;
    private readonly RocksDb? _lease;

    public PinnedValue(nint slice, RocksDb? lease = null)
    {
        _slice = slice;
        _lease = lease;
    }

    public ReadOnlySpan<byte> Span
    {
        get
        {
            if (_slice == 0) return default;
            nuint len;
            byte* p = RocksNative.rocksdb_pinnableslice_value(_slice, &len);
            return new ReadOnlySpan<byte>(p, checked((int)len));
        }
    }

    public void Dispose()
    {
        if (_slice != 0) RocksNative.rocksdb_pinnableslice_destroy(_slice);
        _lease?.Exit();
    }
}
