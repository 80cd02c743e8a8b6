namespace Alteran.Net.Jetstream;

/// <summary>Why subscriber options were rejected.</summary>
public enum JetstreamOptionsError
{
    /// <summary>A <c>wantedCollections</c> entry is neither an NSID nor an NSID prefix ending in <c>.*</c>.</summary>
    InvalidCollection,

    /// <summary>More than <see cref="JetstreamLimits.MaxWantedCollections"/> collections.</summary>
    TooManyCollections,

    /// <summary>A <c>wantedDids</c> entry is not a valid DID.</summary>
    InvalidDid,

    /// <summary>More than <see cref="JetstreamLimits.MaxWantedDids"/> DIDs.</summary>
    TooManyDids,

    /// <summary>The <c>cursor</c> is not an integer.</summary>
    InvalidCursor,

    /// <summary>The query string is malformed (bad percent-encoding, not UTF-8, too long).</summary>
    InvalidQuery,

    /// <summary>A subscriber-sourced message is not valid JSON of the expected shape.</summary>
    InvalidMessage,

    /// <summary>A subscriber-sourced message exceeds <see cref="JetstreamLimits.MaxSubscriberMessageBytes"/>.</summary>
    MessageTooLarge,
}
