using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using static Alteran.Protocol.Syntax.SyntaxChars;

namespace Alteran.Protocol.Syntax;

/// <summary>
/// An account handle: a DNS hostname of at least two labels, 253 characters at most, each label 1-63 of
/// <c>[A-Za-z0-9-]</c> not starting or ending with '-', the last label (TLD) starting with a letter.
/// Handles are case-insensitive; the value holds the normalised lower-case form, so equality is ordinal on it.
/// Syntax validity follows the interop vectors exactly; whether a handle may be registered or served is a separate
/// policy question (<see cref="IsDisallowedTld(ReadOnlySpan{char})"/>).
/// </summary>
public readonly struct Handle : IEquatable<Handle>, IComparable<Handle>
{
    /// <summary>Longest handle accepted.</summary>
    public const int MaxLength = 253;

    /// <summary>Longest label (segment between periods).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>The handle shown for accounts whose handle does not verify.</summary>
    public const string InvalidHandle = "handle.invalid";

    private readonly string? _value;

    private Handle(string value) => _value = value;

    internal static Handle FromNormalised(string value) => new(value);

    /// <summary>The normalised (lower-case) handle; empty for <c>default(Handle)</c>.</summary>
    public string Value => _value ?? "";

    /// <summary>True for <c>default(Handle)</c>.</summary>
    public bool IsEmpty => _value is null;

    /// <summary>True when <paramref name="value"/> is a syntactically valid handle.</summary>
    public static bool IsValid(ReadOnlySpan<char> value) => IsValidCore(value);

    /// <summary>True when the UTF-8 <paramref name="utf8"/> is a syntactically valid handle.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) => IsValidCore(utf8);

    internal static bool IsValidCore<T>(ReadOnlySpan<T> s) where T : unmanaged, IBinaryInteger<T>
    {
        if (s.Length == 0 || s.Length > MaxLength)
            return false;
        int labelStart = 0;
        int labels = 0;
        for (int i = 0; i < s.Length; i++)
        {
            int c = At(s, i);
            if (c == '.')
            {
                if (!LabelEndsWell(s, labelStart, i))
                    return false;
                labels++;
                labelStart = i + 1;
            }
            else if (!(IsAlnum(c) || (c == '-' && i != labelStart)))
            {
                return false;
            }
        }
        // The TLD must also start with a letter (so no IP addresses or all-numeric TLDs).
        return LabelEndsWell(s, labelStart, s.Length) && labels >= 1 && IsAlpha(At(s, labelStart));
    }

    private static bool LabelEndsWell<T>(ReadOnlySpan<T> s, int start, int end) where T : unmanaged, IBinaryInteger<T>
    {
        int length = end - start;
        return length is >= 1 and <= MaxLabelLength && At(s, end - 1) != '-';
    }

    /// <summary>
    /// True when the handle ends in a TLD reserved for infrastructure or special use, which atproto does not allow
    /// handles to be registered or resolved under even though they are syntactically valid:
    /// <c>.alt .arpa .example .internal .invalid .local .localhost .onion</c>.
    /// <c>.test</c> is not included: it is allowed for testing and development (see <see cref="IsTestTld(ReadOnlySpan{char})"/>).
    /// Case-insensitive; expects a syntactically valid handle.
    /// </summary>
    public static bool IsDisallowedTld(ReadOnlySpan<char> handle)
    {
        ReadOnlySpan<char> tld = Tld(handle);
        return tld.Equals("alt", StringComparison.OrdinalIgnoreCase)
            || tld.Equals("arpa", StringComparison.OrdinalIgnoreCase)
            || tld.Equals("example", StringComparison.OrdinalIgnoreCase)
            || tld.Equals("internal", StringComparison.OrdinalIgnoreCase)
            || tld.Equals("invalid", StringComparison.OrdinalIgnoreCase)
            || tld.Equals("local", StringComparison.OrdinalIgnoreCase)
            || tld.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || tld.Equals("onion", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when the handle ends in <c>.test</c> (valid for development, never real in production).</summary>
    public static bool IsTestTld(ReadOnlySpan<char> handle) => Tld(handle).Equals("test", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when this handle may be registered and served: its TLD is not disallowed
    /// (<see cref="IsDisallowedTld(ReadOnlySpan{char})"/>). <c>.test</c> counts as servable; deployments that must
    /// refuse it check <see cref="IsTestTld(ReadOnlySpan{char})"/> too.</summary>
    public bool IsServable => _value is not null && !IsDisallowedTld(_value);

    private static ReadOnlySpan<char> Tld(ReadOnlySpan<char> handle)
    {
        int dot = handle.LastIndexOf('.');
        return dot < 0 ? handle : handle[(dot + 1)..];
    }

    /// <summary>Parses and normalises (lower-cases) a handle; false when it is not valid.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, out Handle handle)
    {
        if (!IsValidCore(value))
        {
            handle = default;
            return false;
        }
        handle = new Handle(Normalise(value));
        return true;
    }

    /// <summary>Parses and normalises a UTF-8 handle; false when it is not valid.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out Handle handle)
    {
        if (!IsValidCore(utf8))
        {
            handle = default;
            return false;
        }
        handle = new Handle(string.Create(utf8.Length, utf8, static (dst, src) =>
        {
            for (int i = 0; i < src.Length; i++)
                dst[i] = (char)(src[i] | (IsAlpha(src[i]) ? 0x20 : 0));
        }));
        return true;
    }

    /// <summary>Parses and normalises a handle, reusing the string when it is already lower-case.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out Handle handle)
    {
        if (value is null || !IsValidCore(value.AsSpan()))
        {
            handle = default;
            return false;
        }
        handle = new Handle(value.AsSpan().ContainsAnyInRange('A', 'Z') ? Normalise(value) : value);
        return true;
    }

    private static string Normalise(ReadOnlySpan<char> value) => string.Create(value.Length, value, static (dst, src) =>
    {
        for (int i = 0; i < src.Length; i++)
            dst[i] = (char)(src[i] | (IsAlpha(src[i]) ? 0x20 : 0));
    });

    /// <summary>Parses and normalises a handle.</summary>
    /// <exception cref="FormatException">The value is not a valid handle.</exception>
    public static Handle Parse(string value) =>
        TryParse(value, out Handle h) ? h : throw new FormatException("Invalid handle syntax.");

    /// <summary>Parses and normalises a handle.</summary>
    /// <exception cref="FormatException">The value is not a valid handle.</exception>
    public static Handle Parse(ReadOnlySpan<char> value) =>
        TryParse(value, out Handle h) ? h : throw new FormatException("Invalid handle syntax.");

    /// <summary>Parses and normalises a UTF-8 handle.</summary>
    /// <exception cref="FormatException">The value is not a valid handle.</exception>
    public static Handle Parse(ReadOnlySpan<byte> utf8) =>
        TryParse(utf8, out Handle h) ? h : throw new FormatException("Invalid handle syntax.");

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <inheritdoc/>
    public bool Equals(Handle other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Handle other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : string.GetHashCode(_value, StringComparison.Ordinal);

    /// <summary>Ordinal order of the normalised text.</summary>
    public int CompareTo(Handle other) => string.CompareOrdinal(_value, other._value);

    /// <summary>Equality of the normalised forms.</summary>
    public static bool operator ==(Handle left, Handle right) => left.Equals(right);

    /// <summary>Inequality of the normalised forms.</summary>
    public static bool operator !=(Handle left, Handle right) => !left.Equals(right);
}
