using System.Buffers;
using System.Text;

namespace Alteran.Net.Jetstream;

/// <summary>Splits and percent-decodes an <c>application/x-www-form-urlencoded</c> query string, as Go's url.ParseQuery.</summary>
internal static class JetstreamQuery
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Takes the next non-empty <c>key[=value]</c> pair off <paramref name="query"/>, still encoded.</summary>
    public static bool TryNextPair(ref ReadOnlySpan<char> query, out ReadOnlySpan<char> key, out ReadOnlySpan<char> value)
    {
        while (!query.IsEmpty)
        {
            int amp = query.IndexOf('&');
            ReadOnlySpan<char> pair = amp < 0 ? query : query[..amp];
            query = amp < 0 ? default : query[(amp + 1)..];
            if (pair.IsEmpty)
                continue;
            if (pair.Contains(';'))
                throw Invalid("semicolon in query");
            int eq = pair.IndexOf('=');
            key = eq < 0 ? pair : pair[..eq];
            value = eq < 0 ? default : pair[(eq + 1)..];
            return true;
        }
        key = value = default;
        return false;
    }

    /// <summary>Decodes '+' to space and %XX escapes; raw text must be ASCII and the decoded bytes UTF-8.</summary>
    public static string Decode(ReadOnlySpan<char> text)
    {
        if (!Ascii.IsValid(text))
            throw Invalid("non-ASCII character in query");
        if (text.IndexOfAny('%', '+') < 0)
            return new string(text);
        byte[] rented = ArrayPool<byte>.Shared.Rent(text.Length);
        try
        {
            int n = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '+')
                    rented[n++] = (byte)' ';
                else if (c != '%')
                    rented[n++] = (byte)c;
                else if (i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2]))
                {
                    rented[n++] = (byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2]));
                    i += 2;
                }
                else
                    throw Invalid("invalid percent-encoding in query");
            }
            try
            {
                return StrictUtf8.GetString(rented, 0, n);
            }
            catch (DecoderFallbackException e)
            {
                throw new JetstreamOptionsException(JetstreamOptionsError.InvalidQuery, "query is not UTF-8", e);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static JetstreamOptionsException Invalid(string message) => new(JetstreamOptionsError.InvalidQuery, message);
}
