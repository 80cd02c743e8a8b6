using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Alteran.Net.Http;

/// <summary>
/// Read-only view over a raw query string (<c>a=1&amp;b=x%20y</c>). Nothing is parsed up front, so a long query costs
/// nothing until a parameter is asked for (no amplification). Values are percent-decoded (and '+' read as space,
/// as URLSearchParams writes it); malformed escapes or invalid UTF-8 throw <see cref="QueryStringException"/>.
/// </summary>
public readonly ref struct QueryString
{
    private readonly ReadOnlySpan<byte> _raw;

    /// <summary>Wraps <paramref name="raw"/> (without the leading '?').</summary>
    public QueryString(ReadOnlySpan<byte> raw) => _raw = raw;

    /// <summary>The raw bytes.</summary>
    public ReadOnlySpan<byte> Raw => _raw;

    /// <summary>Finds the first parameter named <paramref name="name"/> and returns its raw (still encoded) value.</summary>
    public bool TryGetRaw(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> rawValue)
    {
        foreach (Parameter p in this)
        {
            if (NameEquals(p.RawName, name))
            {
                rawValue = p.RawValue;
                return true;
            }
        }

        rawValue = default;
        return false;
    }

    /// <summary>Decoded value of the first parameter named <paramref name="name"/>, or null when absent (allocates the string).</summary>
    public string? GetString(ReadOnlySpan<byte> name) => TryGetRaw(name, out ReadOnlySpan<byte> raw) ? DecodeToString(raw) : null;

    /// <summary>Appends the decoded values of every parameter named <paramref name="name"/> (for array parameters); returns how many.</summary>
    public int GetAll(ReadOnlySpan<byte> name, List<string> values, int maxValues = 1000)
    {
        int count = 0;
        foreach (Parameter p in this)
        {
            if (NameEquals(p.RawName, name))
            {
                if (++count > maxValues)
                {
                    throw new QueryStringException("Too many values for one parameter");
                }

                values.Add(DecodeToString(p.RawValue));
            }
        }

        return count;
    }

    /// <summary>Parses the first parameter named <paramref name="name"/> as a decimal integer.</summary>
    public bool TryGetInt64(ReadOnlySpan<byte> name, out long value)
    {
        value = 0;
        if (!TryGetRaw(name, out ReadOnlySpan<byte> raw))
        {
            return false;
        }

        if (!System.Buffers.Text.Utf8Parser.TryParse(raw, out value, out int consumed) || consumed != raw.Length)
        {
            throw new QueryStringException("Parameter is not an integer");
        }

        return true;
    }

    /// <summary>Parses the first parameter named <paramref name="name"/> as <c>true</c>/<c>false</c>.</summary>
    public bool TryGetBoolean(ReadOnlySpan<byte> name, out bool value)
    {
        value = false;
        if (!TryGetRaw(name, out ReadOnlySpan<byte> raw))
        {
            return false;
        }

        if (raw.SequenceEqual("true"u8))
        {
            value = true;
        }
        else if (!raw.SequenceEqual("false"u8))
        {
            throw new QueryStringException("Parameter is not a boolean");
        }

        return true;
    }

    /// <summary>Enumerates parameters in order, raw.</summary>
    public Enumerator GetEnumerator() => new(_raw);

    /// <summary>Percent-decodes <paramref name="raw"/> into <paramref name="destination"/>; false on malformed escapes or short destination.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> raw, Span<byte> destination, out int written)
    {
        written = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            byte b = raw[i];
            if (b == (byte)'%')
            {
                if (i + 2 >= raw.Length)
                {
                    return false;
                }

                int hi = Hex(raw[i + 1]), lo = Hex(raw[i + 2]);
                if ((hi | lo) < 0)
                {
                    return false;
                }

                b = (byte)((hi << 4) | lo);
                i += 2;
            }
            else if (b == (byte)'+')
            {
                b = (byte)' ';
            }

            if (written == destination.Length)
            {
                return false;
            }

            destination[written++] = b;
        }

        return true;
    }

    /// <summary>Percent-decodes and UTF-8-decodes a raw value into a string.</summary>
    public static string DecodeToString(ReadOnlySpan<byte> raw)
    {
        if (raw.IndexOfAny((byte)'%', (byte)'+') < 0)
        {
            if (!Utf8.IsValid(raw))
            {
                throw new QueryStringException("Parameter is not valid UTF-8");
            }

            return Encoding.UTF8.GetString(raw);
        }

        byte[]? rented = null;
        Span<byte> buffer = raw.Length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(raw.Length));
        try
        {
            if (!TryDecode(raw, buffer, out int written))
            {
                throw new QueryStringException("Malformed percent-encoding");
            }

            ReadOnlySpan<byte> decoded = buffer[..written];
            if (!Utf8.IsValid(decoded))
            {
                throw new QueryStringException("Parameter is not valid UTF-8");
            }

            return Encoding.UTF8.GetString(decoded);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static bool NameEquals(ReadOnlySpan<byte> rawName, ReadOnlySpan<byte> name)
    {
        if (rawName.IndexOfAny((byte)'%', (byte)'+') < 0)
        {
            return rawName.SequenceEqual(name);
        }

        if (rawName.Length > 256)
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[256];
        return TryDecode(rawName, buffer, out int written) && buffer[..written].SequenceEqual(name);
    }

    private static int Hex(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    /// <summary>One raw <c>name=value</c> pair.</summary>
    public readonly ref struct Parameter(ReadOnlySpan<byte> rawName, ReadOnlySpan<byte> rawValue)
    {
        /// <summary>Name, still encoded.</summary>
        public ReadOnlySpan<byte> RawName { get; } = rawName;

        /// <summary>Value, still encoded (empty for <c>name</c> without '=').</summary>
        public ReadOnlySpan<byte> RawValue { get; } = rawValue;
    }

    /// <summary>Allocation-free enumerator over '&amp;'-separated pairs; empty pairs are skipped.</summary>
    public ref struct Enumerator(ReadOnlySpan<byte> raw)
    {
        private ReadOnlySpan<byte> _rest = raw;
        private Parameter _current;

        /// <summary>Current pair.</summary>
        public readonly Parameter Current => _current;

        /// <summary>Advances to the next non-empty pair.</summary>
        public bool MoveNext()
        {
            while (!_rest.IsEmpty)
            {
                int amp = _rest.IndexOf((byte)'&');
                ReadOnlySpan<byte> pair = amp < 0 ? _rest : _rest[..amp];
                _rest = amp < 0 ? default : _rest[(amp + 1)..];
                if (pair.IsEmpty)
                {
                    continue;
                }

                int eq = pair.IndexOf((byte)'=');
                _current = eq < 0 ? new Parameter(pair, default) : new Parameter(pair[..eq], pair[(eq + 1)..]);
                return true;
            }

            return false;
        }
    }
}

/// <summary>A query parameter was malformed (bad percent-encoding, not UTF-8, wrong type); answered with 400.</summary>
public sealed class QueryStringException(string message) : FormatException(message);
