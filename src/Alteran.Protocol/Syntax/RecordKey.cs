using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using static Alteran.Protocol.Syntax.SyntaxChars;

namespace Alteran.Protocol.Syntax;

/// <summary>
/// A record key: 1-512 characters of <c>[A-Za-z0-9._:~-]</c>, and not <c>.</c> or <c>..</c>.
/// Case-sensitive; held as the original string.
/// </summary>
public readonly struct RecordKey : IEquatable<RecordKey>, IComparable<RecordKey>
{
    /// <summary>Longest record key accepted.</summary>
    public const int MaxLength = 512;

    private readonly string? _value;

    private RecordKey(string value) => _value = value;

    /// <summary>The key text; empty for <c>default(RecordKey)</c>.</summary>
    public string Value => _value ?? "";

    /// <summary>True for <c>default(RecordKey)</c>.</summary>
    public bool IsEmpty => _value is null;

    /// <summary>The key <c>self</c>, used by singleton records such as profiles.</summary>
    public static RecordKey Self { get; } = new("self");

    /// <summary>The record key for a TID (the usual key for new records).</summary>
    public static RecordKey FromTid(Tid tid) => new(tid.ToString());

    /// <summary>True when <paramref name="value"/> is a valid record key.</summary>
    public static bool IsValid(ReadOnlySpan<char> value) => IsValidCore(value);

    /// <summary>True when the UTF-8 <paramref name="utf8"/> is a valid record key.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) => IsValidCore(utf8);

    internal static bool IsValidCore<T>(ReadOnlySpan<T> s) where T : unmanaged, IBinaryInteger<T>
    {
        if (s.Length is 0 or > MaxLength)
            return false;
        for (int i = 0; i < s.Length; i++)
        {
            int c = At(s, i);
            if (!(IsAlnum(c) || c is '.' or '_' or ':' or '~' or '-'))
                return false;
        }
        return !(EqualsAscii(s, "."u8) || EqualsAscii(s, ".."u8));
    }

    /// <summary>Parses a record key; false when it is not valid.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, out RecordKey key)
    {
        if (!IsValidCore(value))
        {
            key = default;
            return false;
        }
        key = new RecordKey(value.ToString());
        return true;
    }

    /// <summary>Parses a UTF-8 record key; false when it is not valid.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out RecordKey key)
    {
        if (!IsValidCore(utf8))
        {
            key = default;
            return false;
        }
        key = new RecordKey(ToAsciiString(utf8));
        return true;
    }

    /// <summary>Parses a record key string without copying it.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out RecordKey key)
    {
        if (value is null || !IsValidCore(value.AsSpan()))
        {
            key = default;
            return false;
        }
        key = new RecordKey(value);
        return true;
    }

    /// <summary>Parses a record key.</summary>
    /// <exception cref="FormatException">The value is not a valid record key.</exception>
    public static RecordKey Parse(string value) =>
        TryParse(value, out RecordKey key) ? key : throw new FormatException("Invalid record key syntax.");

    /// <summary>Parses a record key.</summary>
    /// <exception cref="FormatException">The value is not a valid record key.</exception>
    public static RecordKey Parse(ReadOnlySpan<char> value) =>
        TryParse(value, out RecordKey key) ? key : throw new FormatException("Invalid record key syntax.");

    /// <summary>Parses a UTF-8 record key.</summary>
    /// <exception cref="FormatException">The value is not a valid record key.</exception>
    public static RecordKey Parse(ReadOnlySpan<byte> utf8) =>
        TryParse(utf8, out RecordKey key) ? key : throw new FormatException("Invalid record key syntax.");

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <inheritdoc/>
    public bool Equals(RecordKey other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is RecordKey other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : string.GetHashCode(_value, StringComparison.Ordinal);

    /// <summary>Ordinal order (the order of keys in the repository tree).</summary>
    public int CompareTo(RecordKey other) => string.CompareOrdinal(_value, other._value);

    /// <summary>Ordinal equality.</summary>
    public static bool operator ==(RecordKey left, RecordKey right) => left.Equals(right);

    /// <summary>Ordinal inequality.</summary>
    public static bool operator !=(RecordKey left, RecordKey right) => !left.Equals(right);
}
