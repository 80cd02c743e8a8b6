namespace Alteran.Net.Jetstream;

/// <summary>
/// The Jetstream events derived from one firehose event (one per record op of a <c>#commit</c>, one for
/// <c>#identity</c> / <c>#account</c>, none for <c>#sync</c>), encoded once and shared by every subscriber.
/// Immutable apart from each event's lazily added zstd frame.
/// </summary>
public sealed class JetstreamBatch
{
    internal JetstreamBatch(long seq, JetstreamEncodedEvent[] events)
    {
        Seq = seq;
        Events = events;
        int bytes = 64;
        foreach (JetstreamEncodedEvent e in events)
            bytes += e.Json.Length + e.Did.Length + e.Collection.Length + 64;
        Bytes = bytes;
    }

    /// <summary>The firehose seq the events come from (the subscriber's position).</summary>
    public long Seq { get; }

    /// <summary>The events, in order.</summary>
    public IReadOnlyList<JetstreamEncodedEvent> EventList => Events;

    internal JetstreamEncodedEvent[] Events { get; }

    /// <summary>Approximate memory held (for the ring's byte budget; zstd frames added later are not counted).</summary>
    public int Bytes { get; }
}
