using System.Buffers;
using System.Collections.ObjectModel;
using System.Text;
using Alteran.Protocol.Syntax;

namespace Alteran.Net.Jetstream;

/// <summary>
/// A subscriber's event filter: <c>wantedCollections</c>, <c>wantedDids</c> and <c>maxMessageSizeBytes</c>, with
/// Jetstream v1's rules. DIDs filter every event; collections filter only commit events (identity and account events
/// always pass, so collection-scoped consumers still see accounts go away); empty lists mean "everything".
/// Immutable and thread-safe: an <c>options_update</c> produces a new filter to swap in. Matching allocates nothing.
/// </summary>
public sealed class JetstreamFilter
{
    private const int MaxDidLength = 2048;
    private const int MaxNsidLength = 317;

    private readonly HashSet<string>? _dids;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _didLookup;
    private readonly HashSet<string>? _collections;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _collectionLookup;
    private readonly byte[][] _prefixes; // UTF-8, each ending in '.'
    private readonly string[] _prefixStrings;
    private readonly IReadOnlySet<string> _wantedDids;
    private readonly IReadOnlySet<string> _wantedCollections;

    /// <summary>The filter that passes every event, with no size cap.</summary>
    public static JetstreamFilter All { get; } = new(null, null, [], [], 0);

    private JetstreamFilter(HashSet<string>? dids, HashSet<string>? collections, byte[][] prefixes, string[] prefixStrings, uint maxMessageSizeBytes)
    {
        _dids = dids;
        if (dids is not null)
            _didLookup = dids.GetAlternateLookup<ReadOnlySpan<char>>();
        _collections = collections;
        if (collections is not null)
            _collectionLookup = collections.GetAlternateLookup<ReadOnlySpan<char>>();
        _prefixes = prefixes;
        _prefixStrings = prefixStrings;
        _wantedDids = dids is null ? ReadOnlySet<string>.Empty : new ReadOnlySet<string>(dids);
        _wantedCollections = collections is null ? ReadOnlySet<string>.Empty : new ReadOnlySet<string>(collections);
        MaxMessageSizeBytes = maxMessageSizeBytes;
    }

    /// <summary>Largest payload (as sent: the zstd frame for compressing subscribers) to deliver; 0 = no cap.</summary>
    public uint MaxMessageSizeBytes { get; }

    /// <summary>Whether a DID filter is set.</summary>
    public bool HasDidFilter => _dids is not null;

    /// <summary>Whether a collection filter is set.</summary>
    public bool HasCollectionFilter => _collections is not null;

    /// <summary>The wanted DIDs (empty when not filtering by DID).</summary>
    public IReadOnlySet<string> WantedDids => _wantedDids;

    /// <summary>The wanted exact collection NSIDs.</summary>
    public IReadOnlySet<string> WantedCollections => _wantedCollections;

    /// <summary>The wanted collection prefixes, each as given without its trailing <c>*</c> (e.g. <c>app.bsky.graph.</c>).</summary>
    public IReadOnlyList<string> WantedCollectionPrefixes => Array.AsReadOnly(_prefixStrings);

    /// <summary>
    /// Validates and builds a filter. Collections are NSIDs or NSID prefixes ending in <c>.*</c> (whose segments
    /// must be non-empty letters, digits and hyphens, e.g. <c>app.bsky.*</c>); duplicates are ignored and at most
    /// <see cref="JetstreamLimits.MaxWantedCollections"/> distinct entries (and
    /// <see cref="JetstreamLimits.MaxWantedDids"/> distinct DIDs) are allowed. Null or empty lists mean "everything".
    /// </summary>
    /// <exception cref="JetstreamOptionsException">An entry is invalid or a limit is exceeded.</exception>
    public static JetstreamFilter Create(IReadOnlyList<string>? wantedCollections, IReadOnlyList<string>? wantedDids, uint maxMessageSizeBytes = 0)
    {
        HashSet<string>? collections = null;
        List<string>? prefixes = null;
        if (wantedCollections is { Count: > 0 })
        {
            if (wantedCollections.Count > JetstreamLimits.MaxRawCollections)
                throw TooManyCollections();
            collections = new HashSet<string>(StringComparer.Ordinal);
            prefixes = [];
            for (int i = 0; i < wantedCollections.Count; i++)
            {
                string raw = wantedCollections[i] ?? throw new JetstreamOptionsException(
                    JetstreamOptionsError.InvalidCollection, "invalid collection: null");
                if (raw.EndsWith(".*", StringComparison.Ordinal))
                {
                    if (!IsValidPrefix(raw.AsSpan(0, raw.Length - 2)))
                        throw InvalidCollection(raw);
                    string head = raw[..^1];
                    if (!prefixes.Contains(head))
                        prefixes.Add(head);
                }
                else if (Nsid.IsValid(raw))
                    collections.Add(raw);
                else
                    throw InvalidCollection(raw);
                if (collections.Count + prefixes.Count > JetstreamLimits.MaxWantedCollections)
                    throw TooManyCollections();
            }
        }

        HashSet<string>? dids = null;
        if (wantedDids is { Count: > 0 })
        {
            if (wantedDids.Count > JetstreamLimits.MaxRawDids)
                throw TooManyDids();
            dids = new HashSet<string>(Math.Min(wantedDids.Count, JetstreamLimits.MaxWantedDids), StringComparer.Ordinal);
            for (int i = 0; i < wantedDids.Count; i++)
            {
                string raw = wantedDids[i];
                if (raw is null || !Did.IsValid(raw))
                    throw new JetstreamOptionsException(JetstreamOptionsError.InvalidDid, "invalid DID: " + JetstreamOptionsException.Quote(raw));
                dids.Add(raw);
                if (dids.Count > JetstreamLimits.MaxWantedDids)
                    throw TooManyDids();
            }
        }

        if (collections is null && dids is null && maxMessageSizeBytes == 0)
            return All;
        var prefixBytes = new byte[prefixes?.Count ?? 0][];
        for (int i = 0; i < prefixBytes.Length; i++)
            prefixBytes[i] = Encoding.UTF8.GetBytes(prefixes![i]);
        return new JetstreamFilter(dids, collections, prefixBytes, prefixes?.ToArray() ?? [], maxMessageSizeBytes);
    }

    /// <summary>
    /// Whether an event for <paramref name="did"/> and <paramref name="collection"/> (UTF-8; empty for identity and
    /// account events, which bypass the collection filter) passes. Allocation-free.
    /// </summary>
    public bool Matches(ReadOnlySpan<byte> did, ReadOnlySpan<byte> collection)
    {
        if (_dids is not null && !ContainsAscii(_didLookup, did, MaxDidLength))
            return false;
        if (_collections is null || collection.IsEmpty)
            return true;
        foreach (byte[] prefix in _prefixes)
        {
            if (collection.StartsWith(prefix))
                return true;
        }
        return ContainsAscii(_collectionLookup, collection, MaxNsidLength);
    }

    /// <summary>As <see cref="Matches(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>, for UTF-16 text.</summary>
    public bool Matches(ReadOnlySpan<char> did, ReadOnlySpan<char> collection)
    {
        if (_dids is not null && !_didLookup.Contains(did))
            return false;
        if (_collections is null || collection.IsEmpty)
            return true;
        foreach (string prefix in _prefixStrings)
        {
            if (collection.StartsWith(prefix, StringComparison.Ordinal))
                return true;
        }
        return _collectionLookup.Contains(collection);
    }

    /// <summary>Whether a payload of <paramref name="length"/> bytes is within <see cref="MaxMessageSizeBytes"/>.</summary>
    public bool AcceptsSize(int length) => MaxMessageSizeBytes == 0 || (uint)length <= MaxMessageSizeBytes;

    /// <summary>
    /// Whether to deliver <paramref name="evt"/> to a subscriber with this filter: DID and collection match, and the
    /// payload it would receive (the zstd frame if <paramref name="compressed"/>, else the JSON) fits the size cap.
    /// </summary>
    public bool Wants(JetstreamEncodedEvent evt, bool compressed)
    {
        ArgumentNullException.ThrowIfNull(evt);
        return Matches(evt.Did, evt.Collection) && AcceptsSize(evt.GetPayload(compressed).Length);
    }

    // DIDs and NSIDs are ASCII: widen into a stack buffer for the string set's span lookup.
    private static bool ContainsAscii(HashSet<string>.AlternateLookup<ReadOnlySpan<char>> lookup, ReadOnlySpan<byte> utf8, int maxLength)
    {
        if (utf8.Length > maxLength)
            return false;
        Span<char> chars = stackalloc char[utf8.Length];
        return Ascii.ToUtf16(utf8, chars, out int written) == OperationStatus.Done && lookup.Contains(chars[..written]);
    }

    // The part before ".*": dot-separated segments of letters, digits and hyphens (the NSID authority alphabet).
    private static bool IsValidPrefix(ReadOnlySpan<char> body)
    {
        if (body.IsEmpty || body.Length > MaxNsidLength - 2)
            return false;
        int segment = 0;
        foreach (char c in body)
        {
            if (c == '.')
            {
                if (segment == 0)
                    return false;
                segment = 0;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c == '-')
            {
                if (++segment > 63)
                    return false;
            }
            else
                return false;
        }
        return segment > 0;
    }

    private static JetstreamOptionsException InvalidCollection(string raw) =>
        new(JetstreamOptionsError.InvalidCollection, "invalid collection: " + JetstreamOptionsException.Quote(raw));

    private static JetstreamOptionsException TooManyCollections() =>
        new(JetstreamOptionsError.TooManyCollections, $"too many wanted collections (max {JetstreamLimits.MaxWantedCollections})");

    private static JetstreamOptionsException TooManyDids() =>
        new(JetstreamOptionsError.TooManyDids, $"too many wanted DIDs (max {JetstreamLimits.MaxWantedDids})");
}
