using System.Runtime.InteropServices;

namespace Alteran.Storage.Rocks;

/// <summary>
/// The slice of RocksDB's C API (<c>include/rocksdb/c.h</c>) that Alteran uses, bound with <c>LibraryImport</c>
/// so it works under native AOT (RocksDbSharp's loader uses Reflection.Emit and does not). The library is the
/// <c>librocksdb.so</c> shipped by the <c>RocksDB</c> NuGet package (11.12.x). Every handle is an opaque
/// <c>nint</c>; every <c>byte** err</c> is an out error string that must be released with <see cref="rocksdb_free"/>.
/// C <c>bool</c>/<c>unsigned char</c> parameters are passed as <c>byte</c> to keep marshalling blittable.
/// </summary>
internal static unsafe partial class RocksNative
{
    private const string Lib = "rocksdb";

    // Compression types (rocksdb::CompressionType).
    public const int NoCompression = 0;
    public const int Lz4Compression = 4;
    public const int ZstdCompression = 7;

    // ---- options ----
    [LibraryImport(Lib)] public static partial nint rocksdb_options_create();
    [LibraryImport(Lib)] public static partial void rocksdb_options_destroy(nint opt);
    [LibraryImport(Lib)] public static partial void rocksdb_options_set_create_if_missing(nint opt, byte v);
    [LibraryImport(Lib)] public static partial void rocksdb_options_set_create_missing_column_families(nint opt, byte v);
    [LibraryImport(Lib)] public static partial void rocksdb_options_set_max_open_files(nint opt, int n);
    [LibraryImport(Lib)] public static partial void rocksdb_options_set_max_background_jobs(nint opt, int n);
    [LibraryImport(Lib)] public static partial void rocksdb_options_set_write_buffer_size(nint opt, nuint size);
    [LibraryImport(Lib)] public static partial void rocksdb_options_set_max_write_buffer_number(nint opt, int n);
    [LibraryImport(Lib)] public static partial void rocksdb_options_set_write_buffer_manager(nint opt, nint wbm);
    [LibraryImport(Lib)] public static partial void rocksdb_options_set_compression(nint opt, int type);
    [LibraryImport(Lib)] public static partial void rocksdb_options_set_bottommost_compression(nint opt, int type);
    [LibraryImport(Lib)] public static partial void rocksdb_options_set_prefix_extractor(nint opt, nint sliceTransform);
    [LibraryImport(Lib)] public static partial void rocksdb_options_set_memtable_prefix_bloom_size_ratio(nint opt, double ratio);
    [LibraryImport(Lib)] public static partial void rocksdb_options_set_memtable_whole_key_filtering(nint opt, byte value);
    [LibraryImport(Lib)] public static partial void rocksdb_options_set_level_compaction_dynamic_level_bytes(nint opt, byte v);
    [LibraryImport(Lib)] public static partial void rocksdb_options_set_block_based_table_factory(nint opt, nint tableOptions);
    [LibraryImport(Lib)] public static partial void rocksdb_options_set_max_total_wal_size(nint opt, ulong n);
    [LibraryImport(Lib)] public static partial void rocksdb_options_set_keep_log_file_num(nint opt, nuint n);
    [LibraryImport(Lib)] public static partial void rocksdb_options_set_max_log_file_size(nint opt, nuint n);
    [LibraryImport(Lib)] public static partial void rocksdb_options_set_info_log_level(nint opt, int level);
    [LibraryImport(Lib)] public static partial void rocksdb_options_set_atomic_flush(nint opt, byte v);
    [LibraryImport(Lib)] public static partial void rocksdb_options_set_optimize_filters_for_hits(nint opt, int v);

    // ---- block-based table, cache, write buffer manager, prefix extractor ----
    [LibraryImport(Lib)] public static partial nint rocksdb_block_based_options_create();
    [LibraryImport(Lib)] public static partial void rocksdb_block_based_options_destroy(nint opt);
    [LibraryImport(Lib)] public static partial void rocksdb_block_based_options_set_block_cache(nint opt, nint cache);
    [LibraryImport(Lib)] public static partial void rocksdb_block_based_options_set_block_size(nint opt, nuint size);
    [LibraryImport(Lib)] public static partial void rocksdb_block_based_options_set_filter_policy(nint opt, nint policy);
    [LibraryImport(Lib)] public static partial void rocksdb_block_based_options_set_cache_index_and_filter_blocks(nint opt, byte v);
    [LibraryImport(Lib)] public static partial void rocksdb_block_based_options_set_pin_l0_filter_and_index_blocks_in_cache(nint opt, byte v);
    [LibraryImport(Lib)] public static partial void rocksdb_block_based_options_set_format_version(nint opt, int v);
    [LibraryImport(Lib)] public static partial nint rocksdb_filterpolicy_create_bloom_full(double bitsPerKey);
    [LibraryImport(Lib)] public static partial nint rocksdb_cache_create_lru(nuint capacity);
    [LibraryImport(Lib)] public static partial void rocksdb_cache_destroy(nint cache);
    [LibraryImport(Lib)] public static partial nuint rocksdb_cache_get_usage(nint cache);
    [LibraryImport(Lib)] public static partial nint rocksdb_write_buffer_manager_create_with_cache(nuint bufferSize, nint cache, byte allowStall);
    [LibraryImport(Lib)] public static partial void rocksdb_write_buffer_manager_destroy(nint wbm);
    [LibraryImport(Lib)] public static partial nint rocksdb_slicetransform_create_fixed_prefix(nuint len);

    // ---- open / close / column families ----
    [LibraryImport(Lib)] public static partial nint rocksdb_open_column_families(nint opts, byte* name, int numCf,
        byte** cfNames, nint* cfOptions, nint* cfHandles, byte** err);
    [LibraryImport(Lib)] public static partial byte** rocksdb_list_column_families(nint opts, byte* name, nuint* len, byte** err);
    [LibraryImport(Lib)] public static partial void rocksdb_list_column_families_destroy(byte** list, nuint len);
    [LibraryImport(Lib)] public static partial void rocksdb_column_family_handle_destroy(nint cf);
    [LibraryImport(Lib)] public static partial nint rocksdb_create_column_family(nint db, nint options, byte* name, byte** err);
    [LibraryImport(Lib)] public static partial void rocksdb_cancel_all_background_work(nint db, byte wait);
    [LibraryImport(Lib)] public static partial void rocksdb_close(nint db);
    [LibraryImport(Lib)] public static partial void rocksdb_free(void* ptr);
    [LibraryImport(Lib)] public static partial byte* rocksdb_property_value_cf(nint db, nint cf, byte* propname);
    [LibraryImport(Lib)] public static partial void rocksdb_flush_wal(nint db, byte sync, byte** err);

    // ---- reads ----
    [LibraryImport(Lib)] public static partial nint rocksdb_readoptions_create();
    [LibraryImport(Lib)] public static partial void rocksdb_readoptions_destroy(nint opt);
    [LibraryImport(Lib)] public static partial void rocksdb_readoptions_set_iterate_upper_bound(nint opt, byte* key, nuint keylen);
    [LibraryImport(Lib)] public static partial void rocksdb_readoptions_set_iterate_lower_bound(nint opt, byte* key, nuint keylen);
    [LibraryImport(Lib)] public static partial void rocksdb_readoptions_set_prefix_same_as_start(nint opt, byte v);
    [LibraryImport(Lib)] public static partial void rocksdb_readoptions_set_total_order_seek(nint opt, byte v);
    [LibraryImport(Lib)] public static partial void rocksdb_readoptions_set_snapshot(nint opt, nint snapshot);
    [LibraryImport(Lib)] public static partial void rocksdb_readoptions_set_fill_cache(nint opt, byte v);
    [LibraryImport(Lib)] public static partial void rocksdb_readoptions_set_readahead_size(nint opt, nuint size);
    [LibraryImport(Lib)] public static partial nint rocksdb_create_snapshot(nint db);
    [LibraryImport(Lib)] public static partial void rocksdb_release_snapshot(nint db, nint snapshot);
    [LibraryImport(Lib)] public static partial nint rocksdb_get_pinned_cf(nint db, nint opt, nint cf, byte* key, nuint keylen, byte** err);
    [LibraryImport(Lib)] public static partial byte* rocksdb_pinnableslice_value(nint slice, nuint* vlen);
    [LibraryImport(Lib)] public static partial void rocksdb_pinnableslice_destroy(nint slice);
    [LibraryImport(Lib)] public static partial void rocksdb_batched_multi_get_cf(nint db, nint opt, nint cf, nuint numKeys,
        byte** keys, nuint* keySizes, nint* values, byte** errs, byte sortedInput);

    // ---- iterators ----
    [LibraryImport(Lib)] public static partial nint rocksdb_create_iterator_cf(nint db, nint opt, nint cf);
    [LibraryImport(Lib)] public static partial void rocksdb_iter_destroy(nint it);
    [LibraryImport(Lib)] public static partial byte rocksdb_iter_valid(nint it);
    [LibraryImport(Lib)] public static partial void rocksdb_iter_seek_to_first(nint it);
    [LibraryImport(Lib)] public static partial void rocksdb_iter_seek_to_last(nint it);
    [LibraryImport(Lib)] public static partial void rocksdb_iter_seek(nint it, byte* key, nuint keylen);
    [LibraryImport(Lib)] public static partial void rocksdb_iter_seek_for_prev(nint it, byte* key, nuint keylen);
    [LibraryImport(Lib)] public static partial void rocksdb_iter_next(nint it);
    [LibraryImport(Lib)] public static partial void rocksdb_iter_prev(nint it);
    [LibraryImport(Lib)] public static partial byte* rocksdb_iter_key(nint it, nuint* klen);
    [LibraryImport(Lib)] public static partial byte* rocksdb_iter_value(nint it, nuint* vlen);
    [LibraryImport(Lib)] public static partial void rocksdb_iter_get_error(nint it, byte** err);

    // ---- writes ----
    [LibraryImport(Lib)] public static partial nint rocksdb_writeoptions_create();
    [LibraryImport(Lib)] public static partial void rocksdb_writeoptions_destroy(nint opt);
    [LibraryImport(Lib)] public static partial void rocksdb_writeoptions_set_sync(nint opt, byte v);
    [LibraryImport(Lib)] public static partial void rocksdb_writeoptions_set_no_slowdown(nint opt, byte v);
    [LibraryImport(Lib)] public static partial nint rocksdb_writebatch_create();
    [LibraryImport(Lib)] public static partial void rocksdb_writebatch_destroy(nint wb);
    [LibraryImport(Lib)] public static partial void rocksdb_writebatch_clear(nint wb);
    [LibraryImport(Lib)] public static partial int rocksdb_writebatch_count(nint wb);
    [LibraryImport(Lib)] public static partial void rocksdb_writebatch_put_cf(nint wb, nint cf, byte* key, nuint klen, byte* val, nuint vlen);
    [LibraryImport(Lib)] public static partial void rocksdb_writebatch_putv_cf(nint wb, nint cf, int numKeys, byte** keys, nuint* keySizes,
        int numValues, byte** values, nuint* valueSizes);
    [LibraryImport(Lib)] public static partial void rocksdb_writebatch_delete_cf(nint wb, nint cf, byte* key, nuint klen);
    [LibraryImport(Lib)] public static partial void rocksdb_writebatch_delete_range_cf(nint wb, nint cf,
        byte* startKey, nuint startLen, byte* endKey, nuint endLen);
    [LibraryImport(Lib)] public static partial void rocksdb_writebatch_set_save_point(nint wb);
    [LibraryImport(Lib)] public static partial void rocksdb_writebatch_rollback_to_save_point(nint wb, byte** err);
    [LibraryImport(Lib)] public static partial void rocksdb_writebatch_pop_save_point(nint wb, byte** err);
    [LibraryImport(Lib)] public static partial void rocksdb_write(nint db, nint opt, nint wb, byte** err);

    // ---- maintenance ----
    [LibraryImport(Lib)] public static partial nint rocksdb_checkpoint_object_create(nint db, byte** err);
    [LibraryImport(Lib)] public static partial void rocksdb_checkpoint_create(nint checkpoint, byte* dir, ulong logSizeForFlush, byte** err);
    [LibraryImport(Lib)] public static partial void rocksdb_checkpoint_object_destroy(nint checkpoint);
    [LibraryImport(Lib)] public static partial void rocksdb_compact_range_cf(nint db, nint cf, byte* start, nuint startLen, byte* limit, nuint limitLen);
}
