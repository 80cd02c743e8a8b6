using System.Text;

namespace Alteran.Protocol.Syntax;

/// <summary>
/// The Lexicon <c>uri</c> string format: an RFC 3986 scheme (a letter, then letters, digits, '+', '-', '.'), a ':',
/// then a non-empty rest that does not start with '/' after an optional <c>//</c> and contains no whitespace or
/// control characters; 8 KB (UTF-8 bytes) at most. Like the reference implementation this is a shape check, not a
/// full RFC 3986 parse, and non-ASCII characters (IRIs) are let through.
/// </summary>
public static class GenericUri
{
    /// <summary>Longest accepted URI in UTF-8 bytes.</summary>
    public const int MaxLength = 8 * 1024;

    /// <summary>True when <paramref name="value"/> has the shape of an absolute URI.</summary>
    public static bool IsValid(ReadOnlySpan<char> value)
    {
        int rest = SchemeAndSlashesLength(value);
        if (rest < 0)
            return false;
        if (value[rest] == '/')
            return false;
        int utf8Length = rest;
        for (int i = rest; i < value.Length; i++)
        {
            char c = value[i];
            if (c < 0x80)
            {
                if (c <= ' ' || c == 0x7F)
                    return false;
                utf8Length++;
                continue;
            }
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                    return false;
                i++;
                utf8Length += 4;
                continue;
            }
            if (char.IsLowSurrogate(c) || char.IsWhiteSpace(c) || char.IsControl(c))
                return false;
            utf8Length += c < 0x800 ? 2 : 3;
        }
        return utf8Length <= MaxLength;
    }

    /// <summary>True when the UTF-8 <paramref name="utf8"/> has the shape of an absolute URI (and is well-formed UTF-8).</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
            return false;
        int rest = SchemeAndSlashesLength(utf8);
        if (rest < 0 || utf8[rest] == '/')
            return false;
        for (int i = rest; i < utf8.Length;)
        {
            byte b = utf8[i];
            if (b < 0x80)
            {
                if (b <= ' ' || b == 0x7F)
                    return false;
                i++;
                continue;
            }
            if (Rune.DecodeFromUtf8(utf8[i..], out Rune rune, out int consumed) != System.Buffers.OperationStatus.Done)
                return false;
            if (Rune.IsWhiteSpace(rune) || Rune.IsControl(rune))
                return false;
            i += consumed;
        }
        return true;
    }

    // Length of "scheme:" plus an optional "//", or -1; guarantees at least one unit follows.
    private static int SchemeAndSlashesLength<T>(ReadOnlySpan<T> s) where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        if (s.Length < 3 || !SyntaxChars.IsAlpha(SyntaxChars.At(s, 0)))
            return -1;
        int i = 1;
        while (i < s.Length)
        {
            int c = SyntaxChars.At(s, i);
            if (SyntaxChars.IsAlnum(c) || c is '+' or '-' or '.')
                i++;
            else
                break;
        }
        if (i >= s.Length || SyntaxChars.At(s, i) != ':')
            return -1;
        i++;
        if (i + 1 < s.Length && SyntaxChars.At(s, i) == '/' && SyntaxChars.At(s, i + 1) == '/')
            i += 2;
        return i < s.Length ? i : -1;
    }
}
