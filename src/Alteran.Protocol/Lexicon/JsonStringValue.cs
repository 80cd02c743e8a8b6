using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Alteran.Protocol.Lexicon;

/// <summary>
/// Allocation-free access to the text of a JSON string element. Unescaped strings (nearly all) are read straight
/// from the document's UTF-8 buffer; only strings with escapes are decoded, into a pooled buffer.
/// </summary>
internal ref struct JsonStringValue
{
    private byte[]? _rentedUtf8;

    public JsonStringValue(JsonElement element)
    {
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(element);
        if (raw.Length >= 2 && raw[0] == (byte)'"')
            raw = raw[1..^1];
        if (raw.IndexOf((byte)'\\') < 0)
        {
            Utf8 = raw;
            return;
        }
        // Escaped: decode once (rare in records; keeps the common path free of allocations).
        string s = element.GetString()!;
        _rentedUtf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(s.Length));
        int n = Encoding.UTF8.GetBytes(s, _rentedUtf8);
        Utf8 = _rentedUtf8.AsSpan(0, n);
    }

    /// <summary>The unescaped UTF-8 bytes.</summary>
    public ReadOnlySpan<byte> Utf8 { get; }

    public void Dispose()
    {
        if (_rentedUtf8 is not null)
            ArrayPool<byte>.Shared.Return(_rentedUtf8);
        _rentedUtf8 = null;
    }
}
