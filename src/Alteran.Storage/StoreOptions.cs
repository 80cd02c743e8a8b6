namespace Alteran.Storage;

/// <summary>
/// Memory and retention settings of an <see cref="AlteranStore"/>. Defaults fit a 1 GB VPS: RocksDB's share is
/// bounded by <see cref="BlockCacheBytes"/> + <see cref="MemtableBudgetBytes"/> (memtables are charged to the
/// same LRU cache through a write buffer manager), about 192 MB.
/// </summary>
public sealed class StoreOptions
{
    /// <summary>Shared LRU block cache for every column family (data, index and filter blocks).</summary>
    public long BlockCacheBytes { get; set; } = 128L << 20;

    /// <summary>Upper bound on all memtables together; writers stall for a flush rather than exceed it.</summary>
    public long MemtableBudgetBytes { get; set; } = 64L << 20;

    /// <summary>Size of one memtable before it is flushed (capped at <see cref="MemtableBudgetBytes"/>).</summary>
    public long WriteBufferBytes { get; set; } = 16L << 20;

    /// <summary>Memtables per column family (1 active + immutable ones waiting for flush).</summary>
    public int MaxWriteBuffers { get; set; } = 2;

    /// <summary>Open SST files kept (file descriptors, and their table readers' memory).</summary>
    public int MaxOpenFiles { get; set; } = 512;

    /// <summary>Background flush + compaction threads.</summary>
    public int BackgroundJobs { get; set; } = 2;

    /// <summary>Most commits/events folded into one group-commit write batch.</summary>
    public int MaxGroupCommit { get; set; } = 512;

    /// <summary>Event log retention: keep at most this many events (0 = unlimited).</summary>
    public long EventLogMaxCount { get; set; } = 10_000_000;

    /// <summary>Event log retention: drop events older than this (<see cref="TimeSpan.Zero"/> = unlimited).</summary>
    public TimeSpan EventLogMaxAge { get; set; } = TimeSpan.FromDays(3);

    /// <summary>An unreferenced blob is deleted only after this grace period (uploads wait for their record).</summary>
    public TimeSpan BlobGracePeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Per-account blob quota in bytes (0 = unlimited).</summary>
    public long BlobQuotaBytes { get; set; } = 10L << 30;

    /// <summary>Clock in Unix milliseconds; replaceable for tests of age-based retention.</summary>
    public Func<long> UnixTimeMilliseconds { get; set; } = static () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for settings RocksDB cannot work with.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BlockCacheBytes, 1L << 20, nameof(BlockCacheBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MemtableBudgetBytes, 1L << 20, nameof(MemtableBudgetBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(WriteBufferBytes, 64L << 10, nameof(WriteBufferBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxWriteBuffers, 2, nameof(MaxWriteBuffers));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxOpenFiles, 16, nameof(MaxOpenFiles));
        ArgumentOutOfRangeException.ThrowIfLessThan(BackgroundJobs, 1, nameof(BackgroundJobs));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxGroupCommit, 1, nameof(MaxGroupCommit));
        ArgumentOutOfRangeException.ThrowIfNegative(EventLogMaxCount, nameof(EventLogMaxCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(EventLogMaxAge, TimeSpan.Zero, nameof(EventLogMaxAge));
        ArgumentOutOfRangeException.ThrowIfLessThan(BlobGracePeriod, TimeSpan.Zero, nameof(BlobGracePeriod));
        ArgumentOutOfRangeException.ThrowIfNegative(BlobQuotaBytes, nameof(BlobQuotaBytes));
        ArgumentNullException.ThrowIfNull(UnixTimeMilliseconds, nameof(UnixTimeMilliseconds));
    }
}
