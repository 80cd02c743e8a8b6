using Alteran.Protocol;

namespace Alteran.Net.Jetstream;

/// <summary>
/// One record operation to encode as a Jetstream <c>"kind":"commit"</c> event. Plain spans so the firehose can
/// pass slices of what it already holds; nothing is validated here (the values come from our own repo).
/// </summary>
public readonly ref struct JetstreamCommit
{
    /// <summary>The repo's DID (top-level <c>did</c>).</summary>
    public required ReadOnlySpan<char> Did { get; init; }

    /// <summary>Event time in unix microseconds (top-level <c>time_us</c>, also the replay cursor).</summary>
    public required long TimeUs { get; init; }

    /// <summary>The commit's revision TID (<c>commit.rev</c>).</summary>
    public required ReadOnlySpan<char> Rev { get; init; }

    /// <summary>What happened to the record.</summary>
    public required JetstreamOperation Operation { get; init; }

    /// <summary>The record's collection NSID (<c>commit.collection</c>).</summary>
    public required ReadOnlySpan<char> Collection { get; init; }

    /// <summary>The record key (<c>commit.rkey</c>).</summary>
    public required ReadOnlySpan<char> RecordKey { get; init; }

    /// <summary>The record's DAG-CBOR block; required for create/update, ignored for delete.</summary>
    public ReadOnlySpan<byte> Record { get; init; }

    /// <summary>The record's CID; required for create/update, ignored for delete.</summary>
    public Cid Cid { get; init; }
}
