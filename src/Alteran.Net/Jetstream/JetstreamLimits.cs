namespace Alteran.Net.Jetstream;

/// <summary>Jetstream v1's documented subscriber limits.</summary>
public static class JetstreamLimits
{
    /// <summary>Most distinct <c>wantedCollections</c> entries (NSIDs and prefixes together).</summary>
    public const int MaxWantedCollections = 100;

    /// <summary>Most distinct <c>wantedDids</c> entries.</summary>
    public const int MaxWantedDids = 10_000;

    /// <summary>Largest subscriber-sourced message (10 MB, decimal, as Jetstream documents it).</summary>
    public const int MaxSubscriberMessageBytes = 10_000_000;

    /// <summary>Longest <c>/subscribe</c> query string we parse (fits 10,000 DIDs of typical length).</summary>
    public const int MaxQueryLength = 1_000_000;

    // Raw list lengths beyond these are abuse, not a sloppy list with duplicates: fail before deduplicating.
    internal const int MaxRawCollections = MaxWantedCollections * 100;
    internal const int MaxRawDids = MaxWantedDids * 100;
}
