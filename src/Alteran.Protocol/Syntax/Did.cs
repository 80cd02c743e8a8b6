using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using static Alteran.Protocol.Syntax.SyntaxChars;

namespace Alteran.Protocol.Syntax;

/// <summary>
/// A DID (decentralised identifier) in the generic syntax atproto accepts: <c>did:method:identifier</c>, the method
/// lower-case letters, the identifier <c>[A-Za-z0-9._:%-]</c> not ending in ':' or '%', 2048 characters at most.
/// Method-specific rules (did:plc, did:web) are not checked here. DIDs are case-sensitive.
/// Held as a string (the DID must be kept as text anyway); <c>default(Did)</c> is empty and invalid.
/// </summary>
public readonly struct Did : IEquatable<Did>, IComparable<Did>
{
    /// <summary>Longest DID accepted (2 KB).</summary>
    public const int MaxLength = 2048;

    private readonly string? _value;

    private Did(string value) => _value = value;

    /// <summary>The DID text; empty for <c>default(Did)</c>.</summary>
    public string Value => _value ?? "";

    /// <summary>True for <c>default(Did)</c>.</summary>
    public bool IsEmpty => _value is null;

    /// <summary>The method name, e.g. <c>plc</c> or <c>web</c>.</summary>
    public ReadOnlySpan<char> Method
    {
        get
        {
            if (_value is null)
                return default;
            ReadOnlySpan<char> rest = _value.AsSpan(4);
            return rest[..rest.IndexOf(':')];
        }
    }

    /// <summary>The method-specific identifier (everything after the method's colon).</summary>
    public ReadOnlySpan<char> Identifier => _value is null ? default : _value.AsSpan(4 + Method.Length + 1);

    /// <summary>True for <c>did:plc:</c>.</summary>
    public bool IsPlc => _value is not null && _value.StartsWith("did:plc:", StringComparison.Ordinal);

    /// <summary>True for <c>did:web:</c>.</summary>
    public bool IsWeb => _value is not null && _value.StartsWith("did:web:", StringComparison.Ordinal);

    /// <summary>True when <paramref name="value"/> is a syntactically valid DID.</summary>
    public static bool IsValid(ReadOnlySpan<char> value) => IsValidCore(value);

    /// <summary>True when the UTF-8 <paramref name="utf8"/> is a syntactically valid DID.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) => IsValidCore(utf8);

    internal static bool IsValidCore<T>(ReadOnlySpan<T> s) where T : unmanaged, IBinaryInteger<T>
    {
        // Shortest is "did:m:v".
        if (s.Length < 7 || s.Length > MaxLength || !StartsWithAscii(s, "did:"u8))
            return false;
        int i = 4;
        while (i < s.Length && IsLower(At(s, i)))
            i++;
        if (i == 4 || i >= s.Length || At(s, i) != ':')
            return false;
        i++;
        if (i == s.Length)
            return false;
        for (; i < s.Length; i++)
        {
            int c = At(s, i);
            if (!(IsAlnum(c) || c is '.' or '_' or ':' or '%' or '-'))
                return false;
        }
        int last = At(s, s.Length - 1);
        return last is not (':' or '%');
    }

    /// <summary>Parses a DID; false when it is not valid.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, out Did did)
    {
        if (!IsValidCore(value))
        {
            did = default;
            return false;
        }
        did = new Did(value.ToString());
        return true;
    }

    /// <summary>Parses a UTF-8 DID; false when it is not valid.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out Did did)
    {
        if (!IsValidCore(utf8))
        {
            did = default;
            return false;
        }
        did = new Did(ToAsciiString(utf8));
        return true;
    }

    /// <summary>Parses a DID string without copying it; false when it is not valid.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out Did did)
    {
        if (value is null || !IsValidCore(value.AsSpan()))
        {
            did = default;
            return false;
        }
        did = new Did(value);
        return true;
    }

    /// <summary>Parses a DID.</summary>
    /// <exception cref="FormatException">The value is not a valid DID.</exception>
    public static Did Parse(string value) =>
        TryParse(value, out Did did) ? did : throw new FormatException("Invalid DID syntax.");

    /// <summary>Parses a DID.</summary>
    /// <exception cref="FormatException">The value is not a valid DID.</exception>
    public static Did Parse(ReadOnlySpan<char> value) =>
        TryParse(value, out Did did) ? did : throw new FormatException("Invalid DID syntax.");

    /// <summary>Parses a UTF-8 DID.</summary>
    /// <exception cref="FormatException">The value is not a valid DID.</exception>
    public static Did Parse(ReadOnlySpan<byte> utf8) =>
        TryParse(utf8, out Did did) ? did : throw new FormatException("Invalid DID syntax.");

    internal static Did FromValidated(string value) => new(value);

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <inheritdoc/>
    public bool Equals(Did other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Did other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : string.GetHashCode(_value, StringComparison.Ordinal);

    /// <summary>Ordinal order of the DID text.</summary>
    public int CompareTo(Did other) => string.CompareOrdinal(_value, other._value);

    /// <summary>Ordinal equality.</summary>
    public static bool operator ==(Did left, Did right) => left.Equals(right);

    /// <summary>Ordinal inequality.</summary>
    public static bool operator !=(Did left, Did right) => !left.Equals(right);
}
