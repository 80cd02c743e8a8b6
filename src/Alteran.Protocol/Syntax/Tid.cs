using System.Numerics;
using static Alteran.Protocol.Syntax.SyntaxChars;

namespace Alteran.Protocol.Syntax;

/// <summary>
/// A timestamp identifier: a 64-bit integer (top bit 0, then 53 bits of microseconds since the Unix epoch, then a
/// 10-bit clock id) written as 13 characters of base32-sortable (<c>234567abcdefghijklmnopqrstuvwxyz</c>), so the
/// text sorts like the number. Used for record keys and repository revisions (<c>rev</c>).
/// Held inline as the integer; <c>default(Tid)</c> is <c>2222222222222</c> (timestamp 0, clock 0).
/// Syntax follows the interop vectors: the first character may be <c>2</c>-<c>7</c> or <c>a</c>-<c>j</c>, which also
/// admits values with bit 63 set (first character <c>c</c>-<c>j</c>); such a TID's <see cref="Timestamp"/> is above
/// <see cref="MaxTimestamp"/>. <see cref="TidClock"/> never issues one.
/// </summary>
public readonly struct Tid : IEquatable<Tid>, IComparable<Tid>
{
    /// <summary>Length of the text form.</summary>
    public const int Length = 13;

    /// <summary>Largest timestamp (microseconds) a TID can hold: 2^53 - 1.</summary>
    public const long MaxTimestamp = (1L << 53) - 1;

    /// <summary>Largest clock id: 2^10 - 1.</summary>
    public const int MaxClockId = 1023;

    internal const string Alphabet = "234567abcdefghijklmnopqrstuvwxyz";

    private readonly ulong _value;

    private Tid(ulong value) => _value = value;

    /// <summary>The integer value.</summary>
    public ulong Value => _value;

    /// <summary>Microseconds since the Unix epoch.</summary>
    public long Timestamp => (long)(_value >> 10);

    /// <summary>The 10-bit clock id.</summary>
    public int ClockId => (int)(_value & 0x3FF);

    /// <summary>The TID for a timestamp and clock id.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Timestamp outside 0..2^53-1 or clock id outside 0..1023.</exception>
    public static Tid FromTimestamp(long microseconds, int clockId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(microseconds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(microseconds, MaxTimestamp);
        ArgumentOutOfRangeException.ThrowIfNegative(clockId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(clockId, MaxClockId);
        return new Tid(((ulong)microseconds << 10) | (uint)clockId);
    }

    /// <summary>The TID with the given integer value.</summary>
    public static Tid FromValue(ulong value) => new(value);

    /// <summary>True when <paramref name="value"/> is a valid TID.</summary>
    public static bool IsValid(ReadOnlySpan<char> value) => TryDecode(value, out _);

    /// <summary>True when the UTF-8 <paramref name="utf8"/> is a valid TID.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) => TryDecode(utf8, out _);

    private static bool TryDecode<T>(ReadOnlySpan<T> s, out ulong value) where T : unmanaged, IBinaryInteger<T>
    {
        value = 0;
        if (s.Length != Length)
            return false;
        for (int i = 0; i < Length; i++)
        {
            int d = DigitValue(At(s, i));
            // The first character carries the top bit, which must be 0: only 2..j (values 0..15).
            if (d < 0 || (i == 0 && d >= 16))
                return false;
            value = (value << 5) | (uint)d;
        }
        return true;
    }

    private static int DigitValue(int c)
    {
        if ((uint)(c - '2') <= 5)
            return c - '2';
        if (IsLower(c))
            return c - 'a' + 6;
        return -1;
    }

    /// <summary>Parses a TID; false when it is not valid.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, out Tid tid)
    {
        bool ok = TryDecode(value, out ulong v);
        tid = new Tid(v);
        return ok;
    }

    /// <summary>Parses a UTF-8 TID; false when it is not valid.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out Tid tid)
    {
        bool ok = TryDecode(utf8, out ulong v);
        tid = new Tid(v);
        return ok;
    }

    /// <summary>Parses a TID.</summary>
    /// <exception cref="FormatException">The value is not a valid TID.</exception>
    public static Tid Parse(ReadOnlySpan<char> value) =>
        TryParse(value, out Tid tid) ? tid : throw new FormatException("Invalid TID syntax.");

    /// <summary>Parses a UTF-8 TID.</summary>
    /// <exception cref="FormatException">The value is not a valid TID.</exception>
    public static Tid Parse(ReadOnlySpan<byte> utf8) =>
        TryParse(utf8, out Tid tid) ? tid : throw new FormatException("Invalid TID syntax.");

    /// <summary>Writes the 13-character text form into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than 13.</exception>
    public void FormatTo(Span<char> destination)
    {
        if (destination.Length < Length)
            throw new ArgumentException("A TID needs 13 characters.", nameof(destination));
        ulong v = _value;
        for (int i = Length - 1; i >= 0; i--)
        {
            destination[i] = Alphabet[(int)(v & 31)];
            v >>= 5;
        }
    }

    /// <summary>Writes the 13-byte UTF-8 text form into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than 13.</exception>
    public void FormatTo(Span<byte> destination)
    {
        if (destination.Length < Length)
            throw new ArgumentException("A TID needs 13 bytes.", nameof(destination));
        ulong v = _value;
        for (int i = Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)Alphabet[(int)(v & 31)];
            v >>= 5;
        }
    }

    /// <summary>The 13-character text form.</summary>
    public override string ToString() => string.Create(Length, this, static (dst, tid) => tid.FormatTo(dst));

    /// <inheritdoc/>
    public bool Equals(Tid other) => _value == other._value;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Tid other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value.GetHashCode();

    /// <summary>Numeric order, which is also the order of the text forms.</summary>
    public int CompareTo(Tid other) => _value.CompareTo(other._value);

    /// <summary>Equality.</summary>
    public static bool operator ==(Tid left, Tid right) => left._value == right._value;

    /// <summary>Inequality.</summary>
    public static bool operator !=(Tid left, Tid right) => left._value != right._value;

    /// <summary>Order.</summary>
    public static bool operator <(Tid left, Tid right) => left._value < right._value;

    /// <summary>Order.</summary>
    public static bool operator >(Tid left, Tid right) => left._value > right._value;

    /// <summary>Order.</summary>
    public static bool operator <=(Tid left, Tid right) => left._value <= right._value;

    /// <summary>Order.</summary>
    public static bool operator >=(Tid left, Tid right) => left._value >= right._value;
}
