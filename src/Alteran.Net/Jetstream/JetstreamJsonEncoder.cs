using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Alteran.Net.Jetstream;

/// <summary>
/// The JSON string escaper for events: escapes only what JSON requires (<c>"</c>, <c>\</c>, control characters),
/// so all other text, emoji included, stays raw UTF-8 as in Jetstream's own output. The built-in relaxed encoder
/// writes every character outside the BMP as a 12-byte <c>\uD83D\uDE00</c> pair, which bloats emoji-heavy posts.
/// Invalid UTF-8/UTF-16 is reported as needing encoding so the writer replaces it (record text is already
/// validated by the DAG-CBOR reader).
/// </summary>
internal sealed class JetstreamJsonEncoder : JavaScriptEncoder
{
    public static readonly JetstreamJsonEncoder Instance = new();

    private static readonly SearchValues<byte> SpecialBytes = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\"\\"u8);

    private static readonly SearchValues<char> SpecialChars = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\"\\");

    private JetstreamJsonEncoder()
    {
    }

    // "\u00XX" is the longest escape of one UTF-16 char.
    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) => unicodeScalar is < 0x20 or '"' or '\\';

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        int special = utf8Text.IndexOfAny(SpecialBytes);
        ReadOnlySpan<byte> prefix = special < 0 ? utf8Text : utf8Text[..special];
        if (Utf8.IsValid(prefix))
            return special;
        // Rare: find the first invalid sequence so the writer replaces it.
        int index = 0;
        while (Rune.DecodeFromUtf8(prefix[index..], out _, out int consumed) == OperationStatus.Done)
            index += consumed;
        return index;
    }

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var span = new ReadOnlySpan<char>(text, textLength);
        int special = span.IndexOfAny(SpecialChars);
        ReadOnlySpan<char> prefix = special < 0 ? span : span[..special];
        int surrogate = prefix.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (surrogate < 0)
            return special;
        // Surrogates are fine in valid pairs; report the first lone one.
        int index = surrogate;
        while (index < prefix.Length)
        {
            if (Rune.DecodeFromUtf16(prefix[index..], out _, out int consumed) != OperationStatus.Done)
                return index;
            index += consumed;
        }
        return special;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var destination = new Span<char>(buffer, bufferLength);
        numberOfCharactersWritten = 0;
        if (!WillEncode(unicodeScalar))
        {
            if (!new Rune(unicodeScalar).TryEncodeToUtf16(destination, out int written))
                return false;
            numberOfCharactersWritten = written;
            return true;
        }
        ReadOnlySpan<char> escape = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            _ => default,
        };
        if (!escape.IsEmpty)
        {
            if (!escape.TryCopyTo(destination))
                return false;
            numberOfCharactersWritten = escape.Length;
            return true;
        }
        if (destination.Length < 6)
            return false;
        "\\u00".CopyTo(destination);
        destination[4] = HexDigit(unicodeScalar >> 4);
        destination[5] = HexDigit(unicodeScalar & 0xF);
        numberOfCharactersWritten = 6;
        return true;
    }

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);
}
