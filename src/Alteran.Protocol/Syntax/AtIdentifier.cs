using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using static Alteran.Protocol.Syntax.SyntaxChars;

namespace Alteran.Protocol.Syntax;

/// <summary>
/// An account reference that is either a <see cref="Syntax.Did"/> or a <see cref="Syntax.Handle"/> (the
/// <c>at-identifier</c> string format, and the authority of an <see cref="AtUri"/>). A handle is held normalised.
/// </summary>
public readonly struct AtIdentifier : IEquatable<AtIdentifier>
{
    private readonly string? _value;
    private readonly bool _isDid;

    private AtIdentifier(string value, bool isDid)
    {
        _value = value;
        _isDid = isDid;
    }

    /// <summary>The identifier from a DID.</summary>
    public AtIdentifier(Did did) : this(did.Value, true) { }

    /// <summary>The identifier from a handle.</summary>
    public AtIdentifier(Handle handle) : this(handle.Value, false) { }

    /// <summary>The text (a DID, or a lower-case handle); empty for <c>default</c>.</summary>
    public string Value => _value ?? "";

    /// <summary>True for <c>default(AtIdentifier)</c>.</summary>
    public bool IsEmpty => _value is null;

    /// <summary>True when this is a DID.</summary>
    public bool IsDid => _isDid;

    /// <summary>True when this is a handle.</summary>
    public bool IsHandle => _value is not null && !_isDid;

    /// <summary>The DID; throws when this is a handle.</summary>
    public Did AsDid() => _isDid ? Did.FromValidated(_value!) : throw new InvalidOperationException("Not a DID.");

    /// <summary>The handle; throws when this is a DID.</summary>
    public Handle AsHandle() => IsHandle ? Handle.FromNormalised(_value!) : throw new InvalidOperationException("Not a handle.");

    /// <summary>True when <paramref name="value"/> is a valid DID or handle.</summary>
    public static bool IsValid(ReadOnlySpan<char> value) => IsValidCore(value);

    /// <summary>True when the UTF-8 <paramref name="utf8"/> is a valid DID or handle.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) => IsValidCore(utf8);

    internal static bool IsValidCore<T>(ReadOnlySpan<T> s) where T : unmanaged, IBinaryInteger<T> =>
        StartsWithAscii(s, "did:"u8) ? Did.IsValidCore(s) : Handle.IsValidCore(s);

    /// <summary>Parses a DID or handle; false when it is neither.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, out AtIdentifier identifier)
    {
        if (StartsWithAscii(value, "did:"u8))
        {
            bool ok = Did.TryParse(value, out Did did);
            identifier = ok ? new AtIdentifier(did) : default;
            return ok;
        }
        bool isHandle = Handle.TryParse(value, out Handle handle);
        identifier = isHandle ? new AtIdentifier(handle) : default;
        return isHandle;
    }

    /// <summary>Parses a UTF-8 DID or handle; false when it is neither.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out AtIdentifier identifier)
    {
        if (StartsWithAscii(utf8, "did:"u8))
        {
            bool ok = Did.TryParse(utf8, out Did did);
            identifier = ok ? new AtIdentifier(did) : default;
            return ok;
        }
        bool isHandle = Handle.TryParse(utf8, out Handle handle);
        identifier = isHandle ? new AtIdentifier(handle) : default;
        return isHandle;
    }

    /// <summary>Parses a DID or handle, reusing the string where possible.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out AtIdentifier identifier)
    {
        identifier = default;
        if (value is null)
            return false;
        if (value.StartsWith("did:", StringComparison.Ordinal))
        {
            if (!Did.TryParse(value, out Did did))
                return false;
            identifier = new AtIdentifier(did);
            return true;
        }
        if (!Handle.TryParse(value, out Handle handle))
            return false;
        identifier = new AtIdentifier(handle);
        return true;
    }

    /// <summary>Parses a DID or handle.</summary>
    /// <exception cref="FormatException">The value is neither.</exception>
    public static AtIdentifier Parse(string value) =>
        TryParse(value, out AtIdentifier id) ? id : throw new FormatException("Invalid at-identifier (DID or handle) syntax.");

    /// <summary>Parses a DID or handle.</summary>
    /// <exception cref="FormatException">The value is neither.</exception>
    public static AtIdentifier Parse(ReadOnlySpan<char> value) =>
        TryParse(value, out AtIdentifier id) ? id : throw new FormatException("Invalid at-identifier (DID or handle) syntax.");

    /// <summary>Parses a UTF-8 DID or handle.</summary>
    /// <exception cref="FormatException">The value is neither.</exception>
    public static AtIdentifier Parse(ReadOnlySpan<byte> utf8) =>
        TryParse(utf8, out AtIdentifier id) ? id : throw new FormatException("Invalid at-identifier (DID or handle) syntax.");

    /// <summary>A DID as an identifier.</summary>
    public static implicit operator AtIdentifier(Did did) => new(did);

    /// <summary>A handle as an identifier.</summary>
    public static implicit operator AtIdentifier(Handle handle) => new(handle);

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <inheritdoc/>
    public bool Equals(AtIdentifier other) => _isDid == other._isDid && string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is AtIdentifier other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : string.GetHashCode(_value, StringComparison.Ordinal);

    /// <summary>Equality (kind and text).</summary>
    public static bool operator ==(AtIdentifier left, AtIdentifier right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(AtIdentifier left, AtIdentifier right) => !left.Equals(right);
}
