using Alteran.Protocol.Syntax;

namespace Alteran.Net.Repo;

/// <summary>
/// Receives each repo event (<c>#commit</c> / <c>#sync</c>) after it is durable: the exact frame bytes stored in the
/// event log, for live fan-out to firehose subscribers. Called on the committing task, one call per event; calls
/// for different repos may arrive out of seq order (the subscriber side orders by seq or tails the log).
/// <paramref name="frame"/> is valid only during the call.
/// </summary>
public interface IRepoEventSink
{
    /// <summary>Publishes one durable event.</summary>
    void Publish(long seq, ReadOnlySpan<byte> frame);
}

/// <summary>Settings of a <see cref="RepoService"/>.</summary>
public sealed class RepoServiceOptions
{
    /// <summary>Rev source shared by every repo of the service (observes each repo's stored rev on load).</summary>
    public TidClock Clock { get; init; } = new();

    /// <summary>Event time source.</summary>
    public Func<DateTimeOffset> Now { get; init; } = static () => DateTimeOffset.UtcNow;

    /// <summary>Budget of the shared MST node / commit cache.</summary>
    public long BlockCacheBytes { get; init; } = 32L << 20;

    /// <summary>Most writes in one commit (the applyWrites lexicon allows 200; imports may need more).</summary>
    public int MaxWritesPerCommit { get; init; } = 10_000;

    /// <summary>Largest record block accepted: the sync spec caps record blocks in a <c>#commit</c> at 1,000,000 bytes.</summary>
    public int MaxRecordBytes { get; init; } = 1_000_000;

    /// <summary>Bound on the record-index scan that builds a repo's record reference counts.</summary>
    public int MaxRecordsPerRepo { get; init; } = 50_000_000;

    /// <summary>
    /// Largest record reference-count table kept in memory per repo between commits (about 28 bytes per distinct
    /// record CID); a bigger repo rebuilds it from its record index on each commit that updates or deletes.
    /// </summary>
    public int MaxCachedRefCounts { get; init; } = 1_000_000;

    /// <summary>Optional live fan-out of durable events.</summary>
    public IRepoEventSink? EventSink { get; init; }
}
