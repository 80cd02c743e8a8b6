using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using static Alteran.Protocol.Syntax.SyntaxChars;

namespace Alteran.Protocol.Syntax;

/// <summary>
/// An AT URI in the syntax Lexicon's <c>at-uri</c> format accepts:
/// <c>at://AUTHORITY[/COLLECTION[/RKEY]][#/FRAGMENT]</c>, where the authority is a DID or handle, the collection an
/// NSID and the record key a valid <see cref="Syntax.RecordKey"/>; no trailing slash, no query, 8 KB at most. The
/// optional fragment must start with '/' (a JSON pointer) and use URI characters only.
/// Held as the original string plus the offsets of its parts; the typed part accessors allocate a substring.
/// </summary>
public readonly struct AtUri : IEquatable<AtUri>
{
    /// <summary>Longest AT URI accepted (8 KB).</summary>
    public const int MaxLength = 8 * 1024;

    private const int PrefixLength = 5; // "at://"

    private readonly string? _value;
    private readonly int _authorityEnd;   // index of the end of the authority
    private readonly int _collectionEnd;  // end of the collection, or _authorityEnd when absent
    private readonly int _pathEnd;        // end of the record key (start of '#'), or _collectionEnd when absent

    private AtUri(string value, in Layout layout)
    {
        _value = value;
        _authorityEnd = layout.AuthorityEnd;
        _collectionEnd = layout.CollectionEnd;
        _pathEnd = layout.PathEnd;
    }

    private readonly struct Layout(int authorityEnd, int collectionEnd, int pathEnd)
    {
        public readonly int AuthorityEnd = authorityEnd;
        public readonly int CollectionEnd = collectionEnd;
        public readonly int PathEnd = pathEnd;
    }

    /// <summary>The URI text; empty for <c>default(AtUri)</c>.</summary>
    public string Value => _value ?? "";

    /// <summary>True for <c>default(AtUri)</c>.</summary>
    public bool IsEmpty => _value is null;

    /// <summary>The authority text as written (a DID, or a handle in its original case).</summary>
    public ReadOnlySpan<char> AuthoritySpan => _value is null ? default : _value.AsSpan(PrefixLength, _authorityEnd - PrefixLength);

    /// <summary>The collection text, or empty when absent.</summary>
    public ReadOnlySpan<char> CollectionSpan =>
        _value is null || _collectionEnd == _authorityEnd ? default : _value.AsSpan(_authorityEnd + 1, _collectionEnd - _authorityEnd - 1);

    /// <summary>The record key text, or empty when absent.</summary>
    public ReadOnlySpan<char> RecordKeySpan =>
        _value is null || _pathEnd == _collectionEnd ? default : _value.AsSpan(_collectionEnd + 1, _pathEnd - _collectionEnd - 1);

    /// <summary>The fragment after '#' (starting with '/'), or empty when absent.</summary>
    public ReadOnlySpan<char> FragmentSpan =>
        _value is null || _pathEnd == _value.Length ? default : _value.AsSpan(_pathEnd + 1);

    /// <summary>The authority as a DID or (normalised) handle.</summary>
    public AtIdentifier Authority => _value is null ? default : AtIdentifier.Parse(AuthoritySpan);

    /// <summary>The collection, or null when the URI names a whole repository.</summary>
    public Nsid? Collection => CollectionSpan.IsEmpty ? null : Nsid.Parse(CollectionSpan);

    /// <summary>The record key, or null when the URI does not name a record.</summary>
    public RecordKey? RecordKey => RecordKeySpan.IsEmpty ? null : Syntax.RecordKey.Parse(RecordKeySpan);

    /// <summary>True when the URI names a single record (authority, collection and key).</summary>
    public bool IsRecord => _value is not null && _pathEnd != _collectionEnd;

    /// <summary>Builds <c>at://authority/collection/rkey</c>.</summary>
    public static AtUri ForRecord(AtIdentifier authority, Nsid collection, RecordKey rkey)
    {
        if (authority.IsEmpty || collection.IsEmpty || rkey.IsEmpty)
            throw new ArgumentException("The authority, collection and record key must all be set.");
        string value = string.Concat("at://", authority.Value, "/", collection.Value, "/", rkey.Value);
        int authorityEnd = PrefixLength + authority.Value.Length;
        int collectionEnd = authorityEnd + 1 + collection.Value.Length;
        if (value.Length > MaxLength)
            throw new ArgumentException("The AT URI would be longer than 8 KB.");
        return new AtUri(value, new Layout(authorityEnd, collectionEnd, value.Length));
    }

    /// <summary>Builds <c>at://authority/collection</c>.</summary>
    public static AtUri ForCollection(AtIdentifier authority, Nsid collection)
    {
        if (authority.IsEmpty || collection.IsEmpty)
            throw new ArgumentException("The authority and collection must be set.");
        string value = string.Concat("at://", authority.Value, "/", collection.Value);
        int authorityEnd = PrefixLength + authority.Value.Length;
        return new AtUri(value, new Layout(authorityEnd, value.Length, value.Length));
    }

    /// <summary>True when <paramref name="value"/> is a valid AT URI.</summary>
    public static bool IsValid(ReadOnlySpan<char> value) => TryLayout(value, out _);

    /// <summary>True when the UTF-8 <paramref name="utf8"/> is a valid AT URI.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) => TryLayout(utf8, out _);

    private static bool TryLayout<T>(ReadOnlySpan<T> s, out Layout layout) where T : unmanaged, IBinaryInteger<T>
    {
        layout = default;
        if (s.Length > MaxLength || !StartsWithAscii(s, "at://"u8))
            return false;

        int pathEnd = s.Length;
        int hash = IndexOf(s, '#');
        if (hash >= 0)
        {
            if (!IsValidFragment(s[(hash + 1)..]))
                return false;
            pathEnd = hash;
        }

        ReadOnlySpan<T> rest = s[PrefixLength..pathEnd];
        int slash = IndexOf(rest, '/');
        ReadOnlySpan<T> authority = slash < 0 ? rest : rest[..slash];
        if (!AtIdentifier.IsValidCore(authority))
            return false;
        int authorityEnd = PrefixLength + authority.Length;
        if (slash < 0)
        {
            layout = new Layout(authorityEnd, authorityEnd, authorityEnd);
            return true;
        }

        rest = rest[(slash + 1)..];
        slash = IndexOf(rest, '/');
        ReadOnlySpan<T> collection = slash < 0 ? rest : rest[..slash];
        if (!Nsid.IsValidCore(collection))
            return false;
        int collectionEnd = authorityEnd + 1 + collection.Length;
        if (slash < 0)
        {
            layout = new Layout(authorityEnd, collectionEnd, collectionEnd);
            return true;
        }

        // Record keys cannot contain '/', so this also rejects a fourth path segment or a trailing slash.
        ReadOnlySpan<T> rkey = rest[(slash + 1)..];
        if (!Syntax.RecordKey.IsValidCore(rkey))
            return false;
        layout = new Layout(authorityEnd, collectionEnd, pathEnd);
        return true;
    }

    // A JSON pointer: '/' then URI path characters (RFC 3986 pchar, plus '/', '[' and ']'); no second '#'.
    private static bool IsValidFragment<T>(ReadOnlySpan<T> f) where T : unmanaged, IBinaryInteger<T>
    {
        if (f.Length == 0 || At(f, 0) != '/')
            return false;
        for (int i = 1; i < f.Length; i++)
        {
            int c = At(f, i);
            if (!(IsAlnum(c) || c is '.' or '_' or '~' or ':' or '@' or '!' or '$' or '&' or '\'' or '(' or ')'
                    or '*' or '+' or ',' or ';' or '=' or '%' or '[' or ']' or '/' or '-'))
                return false;
        }
        return true;
    }

    /// <summary>Parses an AT URI; false when it is not valid.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, out AtUri uri)
    {
        if (!TryLayout(value, out Layout layout))
        {
            uri = default;
            return false;
        }
        uri = new AtUri(value.ToString(), layout);
        return true;
    }

    /// <summary>Parses a UTF-8 AT URI; false when it is not valid.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out AtUri uri)
    {
        if (!TryLayout(utf8, out Layout layout))
        {
            uri = default;
            return false;
        }
        uri = new AtUri(ToAsciiString(utf8), layout);
        return true;
    }

    /// <summary>Parses an AT URI string without copying it.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out AtUri uri)
    {
        if (value is null || !TryLayout(value.AsSpan(), out Layout layout))
        {
            uri = default;
            return false;
        }
        uri = new AtUri(value, layout);
        return true;
    }

    /// <summary>Parses an AT URI.</summary>
    /// <exception cref="FormatException">The value is not a valid AT URI.</exception>
    public static AtUri Parse(string value) =>
        TryParse(value, out AtUri uri) ? uri : throw new FormatException("Invalid AT URI syntax.");

    /// <summary>Parses an AT URI.</summary>
    /// <exception cref="FormatException">The value is not a valid AT URI.</exception>
    public static AtUri Parse(ReadOnlySpan<char> value) =>
        TryParse(value, out AtUri uri) ? uri : throw new FormatException("Invalid AT URI syntax.");

    /// <summary>Parses a UTF-8 AT URI.</summary>
    /// <exception cref="FormatException">The value is not a valid AT URI.</exception>
    public static AtUri Parse(ReadOnlySpan<byte> utf8) =>
        TryParse(utf8, out AtUri uri) ? uri : throw new FormatException("Invalid AT URI syntax.");

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Ordinal equality of the text (a handle authority is compared as written).</summary>
    public bool Equals(AtUri other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is AtUri other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : string.GetHashCode(_value, StringComparison.Ordinal);

    /// <summary>Ordinal equality.</summary>
    public static bool operator ==(AtUri left, AtUri right) => left.Equals(right);

    /// <summary>Ordinal inequality.</summary>
    public static bool operator !=(AtUri left, AtUri right) => !left.Equals(right);
}
