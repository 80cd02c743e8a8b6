namespace Alteran.Net.Jetstream;

/// <summary>An identity event to encode as Jetstream <c>"kind":"identity"</c> (the firehose <c>#identity</c> body).</summary>
public readonly ref struct JetstreamIdentity
{
    /// <summary>The account's DID (top-level <c>did</c> and <c>identity.did</c>).</summary>
    public required ReadOnlySpan<char> Did { get; init; }

    /// <summary>Event time in unix microseconds (top-level <c>time_us</c>).</summary>
    public required long TimeUs { get; init; }

    /// <summary>The current handle; empty means absent (<c>identity.handle</c> is omitted).</summary>
    public ReadOnlySpan<char> Handle { get; init; }

    /// <summary>The firehose sequence number (<c>identity.seq</c>).</summary>
    public required long Seq { get; init; }

    /// <summary>The firehose event time, an atproto datetime string (<c>identity.time</c>).</summary>
    public required ReadOnlySpan<char> Time { get; init; }
}
