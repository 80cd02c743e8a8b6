namespace Alteran.Protocol;

/// <summary>
/// Unsigned LEB128 varints as multiformats uses them (CIDs, multicodec prefixes, CAR section lengths).
/// At most 9 bytes (63 bits), and the encoding must be minimal: a trailing 0x00 continuation byte is
/// rejected, so every value has exactly one encoding.
/// </summary>
public static class Varint
{
    /// <summary>The longest encoding multiformats allows.</summary>
    public const int MaxLength = 9;

    /// <summary>The number of bytes <paramref name="value"/> takes.</summary>
    public static int GetLength(ulong value)
    {
        int n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }
        return n;
    }

    /// <summary>Writes <paramref name="value"/>; returns the bytes written. <paramref name="destination"/> must hold <see cref="GetLength"/> bytes.</summary>
    public static int Write(Span<byte> destination, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>
    /// Reads a varint. Returns <see cref="VarintStatus.Ok"/> with the value and length, <see cref="VarintStatus.NeedMore"/>
    /// when the input ends inside the varint, or <see cref="VarintStatus.Invalid"/> for a non-minimal or over-long encoding.
    /// </summary>
    public static VarintStatus TryRead(ReadOnlySpan<byte> source, out ulong value, out int length)
    {
        ulong result = 0;
        int shift = 0;
        for (int i = 0; i < source.Length; i++)
        {
            if (i == MaxLength)
                break;
            byte b = source[i];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                // A last byte of zero after at least one byte is a padded (non-minimal) encoding.
                if (b == 0 && i > 0)
                {
                    value = 0;
                    length = 0;
                    return VarintStatus.Invalid;
                }
                value = result;
                length = i + 1;
                return VarintStatus.Ok;
            }
            shift += 7;
        }
        value = 0;
        length = 0;
        return source.Length >= MaxLength ? VarintStatus.Invalid : VarintStatus.NeedMore;
    }
}

/// <summary>Outcome of <see cref="Varint.TryRead"/>.</summary>
public enum VarintStatus
{
    Ok,
    NeedMore,
    Invalid,
}
