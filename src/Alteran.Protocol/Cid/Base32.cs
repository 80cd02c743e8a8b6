namespace Alteran.Protocol;

/// <summary>RFC 4648 base32, lower-case alphabet, no padding: the multibase 'b' encoding that CID strings use.</summary>
public static class Base32
{
    private static ReadOnlySpan<byte> Alphabet => "abcdefghijklmnopqrstuvwxyz234567"u8;

    /// <summary>Characters needed for <paramref name="byteCount"/> bytes.</summary>
    public static int GetEncodedLength(int byteCount) => (byteCount * 8 + 4) / 5;

    /// <summary>Bytes encoded by <paramref name="charCount"/> characters, or -1 when no byte count gives that length.</summary>
    public static int GetDecodedLength(int charCount)
    {
        int bytes = charCount * 5 / 8;
        return GetEncodedLength(bytes) == charCount ? bytes : -1;
    }

    public static int Encode(ReadOnlySpan<byte> data, Span<char> destination)
    {
        int o = 0, bits = 0;
        uint buffer = 0;
        foreach (byte b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                destination[o++] = (char)Alphabet[(int)((buffer >> bits) & 31)];
            }
        }
        if (bits > 0)
            destination[o++] = (char)Alphabet[(int)((buffer << (5 - bits)) & 31)];
        return o;
    }

    public static string Encode(ReadOnlySpan<byte> data)
    {
        Span<char> chars = data.Length <= 512 ? stackalloc char[GetEncodedLength(data.Length)] : new char[GetEncodedLength(data.Length)];
        int n = Encode(data, chars);
        return new string(chars[..n]);
    }

    /// <summary>
    /// Decodes lower-case base32 without padding. Fails on any other character, on an impossible length, and on
    /// non-zero trailing bits (so each byte string has exactly one text form).
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        written = 0;
        int expected = GetDecodedLength(text.Length);
        if (expected < 0 || destination.Length < expected)
            return false;
        int bits = 0;
        uint buffer = 0;
        foreach (char c in text)
        {
            int v = c switch
            {
                >= 'a' and <= 'z' => c - 'a',
                >= '2' and <= '7' => c - '2' + 26,
                _ => -1,
            };
            if (v < 0)
                return false;
            buffer = (buffer << 5) | (uint)v;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                destination[written++] = (byte)(buffer >> bits);
            }
        }
        if (bits > 0 && (buffer & ((1u << bits) - 1)) != 0)
            return false;
        return true;
    }
}
