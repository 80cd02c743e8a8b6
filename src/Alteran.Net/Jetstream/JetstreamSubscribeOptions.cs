using System.Globalization;

namespace Alteran.Net.Jetstream;

/// <summary>
/// The options of one <c>/subscribe</c> connection, from its query string (and <c>Socket-Encoding</c> header).
/// <see cref="Cursor"/>, <see cref="Compress"/> and <see cref="RequireHello"/> are fixed for the connection;
/// <see cref="Filter"/> can be replaced by an <c>options_update</c> message (see <see cref="JetstreamSubscriberMessage"/>).
/// </summary>
public sealed class JetstreamSubscribeOptions
{
    private JetstreamSubscribeOptions(JetstreamFilter filter, JetstreamCursor cursor, bool compress, bool requireHello)
    {
        Filter = filter;
        Cursor = cursor;
        Compress = compress;
        RequireHello = requireHello;
    }

    /// <summary>What to deliver.</summary>
    public JetstreamFilter Filter { get; }

    /// <summary>Where to start.</summary>
    public JetstreamCursor Cursor { get; }

    /// <summary>Send zstd frames (binary messages) instead of JSON text messages.</summary>
    public bool Compress { get; }

    /// <summary>Send nothing until the client's first valid <c>options_update</c> message.</summary>
    public bool RequireHello { get; }

    /// <summary>
    /// Parses a <c>/subscribe</c> query string (with or without the leading '?'). Keys, as Jetstream v1:
    /// <c>wantedCollections</c> and <c>wantedDids</c> (repeatable), <c>cursor</c> (unix µs; in the future = live),
    /// <c>compress</c> (exactly <c>true</c>, or a <paramref name="socketEncoding"/> header containing <c>zstd</c>),
    /// <c>requireHello</c> (exactly <c>true</c>) and <c>maxMessageSizeBytes</c> (an integer; anything else,
    /// negative or above 2^32-1 means no cap). For single-valued keys the first occurrence wins; unknown keys are
    /// ignored. <paramref name="nowUs"/> is the current time in unix microseconds.
    /// </summary>
    /// <exception cref="JetstreamOptionsException">Invalid options (answer HTTP 400 with the message).</exception>
    public static JetstreamSubscribeOptions Parse(ReadOnlySpan<char> query, ReadOnlySpan<char> socketEncoding, long nowUs)
    {
        if (query.StartsWith('?'))
            query = query[1..];
        if (query.Length > JetstreamLimits.MaxQueryLength)
            throw new JetstreamOptionsException(JetstreamOptionsError.InvalidQuery, "query string too long");

        List<string>? collections = null;
        List<string>? dids = null;
        string? cursor = null, compress = null, requireHello = null, maxSize = null;
        while (JetstreamQuery.TryNextPair(ref query, out ReadOnlySpan<char> rawKey, out ReadOnlySpan<char> rawValue))
        {
            string key = JetstreamQuery.Decode(rawKey);
            switch (key)
            {
                case "wantedCollections":
                    Add(ref collections, JetstreamQuery.Decode(rawValue), JetstreamLimits.MaxRawCollections);
                    break;
                case "wantedDids":
                    Add(ref dids, JetstreamQuery.Decode(rawValue), JetstreamLimits.MaxRawDids);
                    break;
                case "cursor":
                    cursor ??= JetstreamQuery.Decode(rawValue);
                    break;
                case "compress":
                    compress ??= JetstreamQuery.Decode(rawValue);
                    break;
                case "requireHello":
                    requireHello ??= JetstreamQuery.Decode(rawValue);
                    break;
                case "maxMessageSizeBytes":
                    maxSize ??= JetstreamQuery.Decode(rawValue);
                    break;
            }
        }

        if (!JetstreamCursor.TryParse(cursor, nowUs, out JetstreamCursor start))
            throw new JetstreamOptionsException(JetstreamOptionsError.InvalidCursor, "invalid cursor: " + JetstreamOptionsException.Quote(cursor));
        JetstreamFilter filter = JetstreamFilter.Create(collections, dids, ParseMaxMessageSize(maxSize));
        bool wantsZstd = compress == "true" || socketEncoding.Contains("zstd", StringComparison.Ordinal);
        return new JetstreamSubscribeOptions(filter, start, wantsZstd, requireHello == "true");
    }

    // Jetstream v1: empty, malformed, negative or out-of-range values all mean "no cap".
    private static uint ParseMaxMessageSize(string? text) =>
        text is not null && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)
            ? ClampMaxMessageSize(n)
            : 0;

    internal static uint ClampMaxMessageSize(long n) => n is > 0 and <= uint.MaxValue ? (uint)n : 0;

    private static void Add(ref List<string>? list, string value, int rawLimit)
    {
        list ??= [];
        // Past the raw limit the filter rejects the list anyway; stop growing it.
        if (list.Count <= rawLimit)
            list.Add(value);
    }
}
