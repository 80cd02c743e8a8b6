namespace Alteran.Protocol;

/// <summary>Bitcoin's base58 alphabet: the multibase 'z' encoding used by did:key and Multikey values.</summary>
public static class Base58Btc
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /// <summary>Longest input accepted by <see cref="TryDecode"/>; keys are ~50 characters, so this only stops abuse.</summary>
    public const int MaxDecodeChars = 1024;

    private static ReadOnlySpan<sbyte> DecodeMap => new sbyte[]
    {
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, -1, -1, -1, -1, -1, -1,
        -1, 9, 10, 11, 12, 13, 14, 15, 16, -1, 17, 18, 19, 20, 21, -1,
        22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, -1, -1, -1, -1, -1,
        -1, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, -1, 44, 45, 46,
        47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, -1, -1, -1, -1, -1,
    };

    public static string Encode(ReadOnlySpan<byte> data)
    {
        int zeros = 0;
        while (zeros < data.Length && data[zeros] == 0)
            zeros++;
        // log(256)/log(58) ≈ 1.366: an upper bound for the digit count.
        int size = (data.Length - zeros) * 138 / 100 + 1;
        Span<byte> digits = size <= 256 ? stackalloc byte[size] : new byte[size];
        digits.Clear();
        int length = 0;
        for (int i = zeros; i < data.Length; i++)
        {
            int carry = data[i];
            int j = 0;
            for (int k = size - 1; (carry != 0 || j < length) && k >= 0; k--, j++)
            {
                carry += 256 * digits[k];
                digits[k] = (byte)(carry % 58);
                carry /= 58;
            }
            length = j;
        }
        int start = size - length;
        Span<char> chars = zeros + length <= 512 ? stackalloc char[zeros + length] : new char[zeros + length];
        for (int i = 0; i < zeros; i++)
            chars[i] = '1';
        for (int i = 0; i < length; i++)
            chars[zeros + i] = Alphabet[digits[start + i]];
        return new string(chars);
    }

    /// <summary>Decodes base58btc text; false on a character outside the alphabet or text over <see cref="MaxDecodeChars"/>.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length > MaxDecodeChars)
            return false;
        int zeros = 0;
        while (zeros < text.Length && text[zeros] == '1')
            zeros++;
        int size = (text.Length - zeros) * 733 / 1000 + 1; // log(58)/log(256) ≈ 0.733
        Span<byte> b256 = size <= 1024 ? stackalloc byte[size] : new byte[size];
        b256.Clear();
        int length = 0;
        for (int i = zeros; i < text.Length; i++)
        {
            char c = text[i];
            int carry = c < 128 ? DecodeMap[c] : -1;
            if (carry < 0)
                return false;
            int j = 0;
            for (int k = size - 1; (carry != 0 || j < length) && k >= 0; k--, j++)
            {
                carry += 58 * b256[k];
                b256[k] = (byte)(carry & 0xFF);
                carry >>= 8;
            }
            length = j;
        }
        bytes = new byte[zeros + length];
        b256.Slice(size - length).CopyTo(bytes.AsSpan(zeros));
        return true;
    }
}
