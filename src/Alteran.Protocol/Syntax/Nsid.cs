using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using static Alteran.Protocol.Syntax.SyntaxChars;

namespace Alteran.Protocol.Syntax;

/// <summary>
/// A namespaced identifier (NSID) such as <c>app.bsky.feed.post</c>: a reversed domain authority of at least two
/// labels (hostname label rules, the first label starting with a letter) and a name segment of 1-63 ASCII letters and
/// digits starting with a letter; 317 characters overall at most. (The spec's 253-character authority limit is not
/// applied: the interop vectors accept a 283-character authority, as the reference implementations do.)
/// Held as the original string: the authority is case-insensitive by spec, but collection names are compared
/// exactly (as repository paths are), so no normalisation is applied.
/// </summary>
public readonly struct Nsid : IEquatable<Nsid>, IComparable<Nsid>
{
    /// <summary>Longest NSID accepted: a 253-character authority, a period and a 63-character name.</summary>
    public const int MaxLength = 253 + 1 + 63;

    /// <summary>Longest single segment.</summary>
    public const int MaxSegmentLength = 63;

    private readonly string? _value;

    private Nsid(string value) => _value = value;

    /// <summary>The NSID text; empty for <c>default(Nsid)</c>.</summary>
    public string Value => _value ?? "";

    /// <summary>True for <c>default(Nsid)</c>.</summary>
    public bool IsEmpty => _value is null;

    /// <summary>The reversed domain authority, e.g. <c>app.bsky.feed</c>.</summary>
    public ReadOnlySpan<char> Authority => _value is null ? default : _value.AsSpan(0, _value.LastIndexOf('.'));

    /// <summary>The name segment, e.g. <c>post</c>.</summary>
    public ReadOnlySpan<char> Name => _value is null ? default : _value.AsSpan(_value.LastIndexOf('.') + 1);

    /// <summary>True when <paramref name="value"/> is a syntactically valid NSID.</summary>
    public static bool IsValid(ReadOnlySpan<char> value) => IsValidCore(value);

    /// <summary>True when the UTF-8 <paramref name="utf8"/> is a syntactically valid NSID.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) => IsValidCore(utf8);

    internal static bool IsValidCore<T>(ReadOnlySpan<T> s) where T : unmanaged, IBinaryInteger<T>
    {
        if (s.Length < 5 || s.Length > MaxLength)
            return false;
        int segmentStart = 0;
        int segments = 0;
        for (int i = 0; i < s.Length; i++)
        {
            int c = At(s, i);
            if (c == '.')
            {
                // Authority label: hostname rules; the first (top-level) label starts with a letter.
                int length = i - segmentStart;
                if (length is < 1 or > MaxSegmentLength || At(s, i - 1) == '-')
                    return false;
                if (segments == 0 && !IsAlpha(At(s, 0)))
                    return false;
                segments++;
                segmentStart = i + 1;
            }
            else if (!(IsAlnum(c) || (c == '-' && i != segmentStart)))
            {
                return false;
            }
        }
        // Name: letters and digits only, starting with a letter.
        int nameLength = s.Length - segmentStart;
        if (segments < 2 || nameLength is < 1 or > MaxSegmentLength)
            return false;
        if (!IsAlpha(At(s, segmentStart)))
            return false;
        for (int i = segmentStart + 1; i < s.Length; i++)
        {
            if (!IsAlnum(At(s, i)))
                return false;
        }
        return true;
    }

    /// <summary>Parses an NSID; false when it is not valid.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, out Nsid nsid)
    {
        if (!IsValidCore(value))
        {
            nsid = default;
            return false;
        }
        nsid = new Nsid(value.ToString());
        return true;
    }

    /// <summary>Parses a UTF-8 NSID; false when it is not valid.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out Nsid nsid)
    {
        if (!IsValidCore(utf8))
        {
            nsid = default;
            return false;
        }
        nsid = new Nsid(ToAsciiString(utf8));
        return true;
    }

    /// <summary>Parses an NSID string without copying it.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out Nsid nsid)
    {
        if (value is null || !IsValidCore(value.AsSpan()))
        {
            nsid = default;
            return false;
        }
        nsid = new Nsid(value);
        return true;
    }

    /// <summary>Parses an NSID.</summary>
    /// <exception cref="FormatException">The value is not a valid NSID.</exception>
    public static Nsid Parse(string value) =>
        TryParse(value, out Nsid nsid) ? nsid : throw new FormatException("Invalid NSID syntax.");

    /// <summary>Parses an NSID.</summary>
    /// <exception cref="FormatException">The value is not a valid NSID.</exception>
    public static Nsid Parse(ReadOnlySpan<char> value) =>
        TryParse(value, out Nsid nsid) ? nsid : throw new FormatException("Invalid NSID syntax.");

    /// <summary>Parses a UTF-8 NSID.</summary>
    /// <exception cref="FormatException">The value is not a valid NSID.</exception>
    public static Nsid Parse(ReadOnlySpan<byte> utf8) =>
        TryParse(utf8, out Nsid nsid) ? nsid : throw new FormatException("Invalid NSID syntax.");

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <inheritdoc/>
    public bool Equals(Nsid other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Nsid other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : string.GetHashCode(_value, StringComparison.Ordinal);

    /// <summary>Ordinal order.</summary>
    public int CompareTo(Nsid other) => string.CompareOrdinal(_value, other._value);

    /// <summary>Ordinal equality.</summary>
    public static bool operator ==(Nsid left, Nsid right) => left.Equals(right);

    /// <summary>Ordinal inequality.</summary>
    public static bool operator !=(Nsid left, Nsid right) => !left.Equals(right);
}
