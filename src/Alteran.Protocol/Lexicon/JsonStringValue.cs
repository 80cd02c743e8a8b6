using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Alteran.Protocol.Lexicon;

/// <summary>
/// Allocation-free access to the text of a JSON string element. Unescaped strings (nearly all) are read straight
/// from the document's UTF-8 buffer; strings with escapes are unescaped into a pooled buffer.
/// </summary>
internal ref struct JsonStringValue
{
    private byte[]? _rented;

    public JsonStringValue(JsonElement element)
    {
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(element);
        bool quoted = raw.Length >= 2 && raw[0] == (byte)'"';
        ReadOnlySpan<byte> inner = quoted ? raw[1..^1] : raw;
        if (inner.IndexOf((byte)'\\') < 0)
        {
            Utf8 = inner;
            return;
        }
        if (quoted)
        {
            // Unescaping never lengthens the text, so the raw length bounds the result.
            _rented = ArrayPool<byte>.Shared.Rent(raw.Length);
            var reader = new Utf8JsonReader(raw);
            reader.Read();
            Utf8 = _rented.AsSpan(0, reader.CopyString(_rented));
        }
        else
        {
            string s = element.GetString()!;
            _rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(s.Length));
            Utf8 = _rented.AsSpan(0, Encoding.UTF8.GetBytes(s, _rented));
        }
    }

    /// <summary>The unescaped UTF-8 bytes.</summary>
    public ReadOnlySpan<byte> Utf8 { get; }

    public void Dispose()
    {
        if (_rented is not null)
            ArrayPool<byte>.Shared.Return(_rented);
        _rented = null;
    }
}
