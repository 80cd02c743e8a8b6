namespace Alteran.Net.Jetstream;

/// <summary>An account event to encode as Jetstream <c>"kind":"account"</c> (the firehose <c>#account</c> body).</summary>
public readonly ref struct JetstreamAccount
{
    /// <summary>The account's DID (top-level <c>did</c> and <c>account.did</c>).</summary>
    public required ReadOnlySpan<char> Did { get; init; }

    /// <summary>Event time in unix microseconds (top-level <c>time_us</c>).</summary>
    public required long TimeUs { get; init; }

    /// <summary>Whether the account is active (<c>account.active</c>).</summary>
    public required bool Active { get; init; }

    /// <summary>Why the account is inactive (takendown, suspended, deleted, deactivated…); empty means absent.</summary>
    public ReadOnlySpan<char> Status { get; init; }

    /// <summary>The firehose sequence number (<c>account.seq</c>).</summary>
    public required long Seq { get; init; }

    /// <summary>The firehose event time, an atproto datetime string (<c>account.time</c>).</summary>
    public required ReadOnlySpan<char> Time { get; init; }
}
