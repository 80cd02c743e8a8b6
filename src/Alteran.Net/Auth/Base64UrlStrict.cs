using System.Buffers;
using System.Buffers.Text;

namespace Alteran.Net.Auth;

/// <summary>
/// Canonical base64url as JWS uses it (RFC 7515 §2): alphabet <c>A-Z a-z 0-9 - _</c>, no padding, no whitespace,
/// and the unused low bits of the last character must be zero, so every byte string has exactly one spelling and
/// a token cannot be re-spelled without changing its signing input.
/// </summary>
internal static class Base64UrlStrict
{
    private static readonly SearchValues<char> Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>True when <paramref name="text"/> is non-empty canonical unpadded base64url.</summary>
    public static bool IsValid(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || (text.Length & 3) == 1 || text.ContainsAnyExcept(Alphabet))
            return false;
        int unusedBits = (text.Length & 3) switch { 2 => 4, 3 => 2, _ => 0 };
        return unusedBits == 0 || (Value(text[^1]) & ((1 << unusedBits) - 1)) == 0;
    }

    /// <summary>Number of bytes a valid <paramref name="charCount"/>-character segment decodes to.</summary>
    public static int DecodedLength(int charCount) => charCount / 4 * 3 + (charCount & 3) switch { 2 => 1, 3 => 2, _ => 0 };

    /// <summary>Validates and decodes into <paramref name="destination"/>, which must be exactly the decoded length.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination)
    {
        if (!IsValid(text) || DecodedLength(text.Length) != destination.Length)
            return false;
        var status = Base64Url.DecodeFromChars(text, destination, out int consumed, out int written);
        return status == OperationStatus.Done && consumed == text.Length && written == destination.Length;
    }

    private static int Value(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        _ => 63,
    };
}
