using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Alteran.Protocol.Cbor;

namespace Alteran.Protocol.DataModel;

/// <summary>
/// Converts between the atproto JSON form of data and DAG-CBOR. In JSON, CID links are <c>{"$link": "b…"}</c>,
/// bytes are <c>{"$bytes": "base64, no padding"}</c>, and blobs are
/// <c>{"$type": "blob", "ref": {"$link": …}, "mimeType": …, "size": …}</c>; in DAG-CBOR links are tag 42,
/// bytes are byte strings and blobs are plain maps.
/// </summary>
/// <remarks>
/// JSON → CBOR goes through <see cref="JsonDocument"/> (pooled, depth-limited) because every object's keys must
/// be re-sorted into canonical order before writing; the walk recurses at most
/// <see cref="DagCborLimits.HardMaxDepth"/> levels, which the document enforces while parsing. Numbers must be
/// integers; <c>123.0</c> is accepted as 123 (the data-model-valid fixture), and a number is only accepted as a
/// float-written integer when it is exactly representable (|n| ≤ 2^53). CBOR → JSON uses the strict reader,
/// whose depth limit bounds that recursion too.
/// </remarks>
public static class DagJson
{
    // JSON numbers written with a fraction or exponent are only trusted as integers up to 2^53.
    private const double MaxSafeInteger = 9007199254740992d;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = DagCborLimits.HardMaxDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>
    /// Converts a JSON object (UTF-8) in the atproto JSON form to canonical DAG-CBOR, appending to <paramref name="output"/>.
    /// Throws <see cref="DataModelException"/> for invalid JSON or data that breaks the atproto data model.
    /// </summary>
    public static void JsonToCbor(ReadOnlySpan<byte> utf8Json, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        JsonDocument document;
        try
        {
            // JsonDocument.Parse copies the span into a pooled buffer.
            document = JsonDocument.Parse(utf8Json.ToArray(), DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new DataModelException(DataModelError.InvalidJson, "Invalid JSON: " + e.Message, e);
        }
        using (document)
            JsonToCbor(document.RootElement, output);
    }

    /// <summary>Converts a parsed JSON object in the atproto JSON form to canonical DAG-CBOR.</summary>
    public static void JsonToCbor(JsonElement value, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (value.ValueKind != JsonValueKind.Object)
            Throw(DataModelError.TopLevelNotObject, "The top level must be an object.");
        var writer = new DagCborWriter(output);
        WriteValue(ref writer, value, 0);
        writer.Flush();
    }

    /// <summary>Converts JSON to a new DAG-CBOR byte array.</summary>
    public static byte[] JsonToCbor(ReadOnlySpan<byte> utf8Json)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Max(256, utf8Json.Length));
        JsonToCbor(utf8Json, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Writes one DAG-CBOR value (which must be the whole of <paramref name="cbor"/>) as atproto JSON.
    /// Throws <see cref="DagCborException"/> if the CBOR is not valid DAG-CBOR. Tip: a writer with
    /// <c>JavaScriptEncoder.UnsafeRelaxedJsonEscaping</c> keeps base64 '+' and non-ASCII text unescaped.
    /// </summary>
    public static void CborToJson(ReadOnlySpan<byte> cbor, Utf8JsonWriter writer, DagCborLimits limits = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var reader = new DagCborReader(cbor, limits);
        WriteJson(ref reader, writer);
        reader.EnsureEnd();
    }

    /// <summary>Converts one DAG-CBOR value to UTF-8 JSON bytes.</summary>
    public static byte[] CborToJson(ReadOnlySpan<byte> cbor, DagCborLimits limits = default)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Max(256, cbor.Length * 2));
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true }))
            CborToJson(cbor, writer, limits);
        return buffer.WrittenSpan.ToArray();
    }

    // ---- JSON → CBOR ----

    private static void WriteValue(ref DagCborWriter writer, JsonElement value, int depth)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(ref writer, value, depth);
                break;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(CheckCount(value.GetArrayLength()));
                foreach (JsonElement item in value.EnumerateArray())
                    WriteValue(ref writer, item, depth + 1);
                break;
            case JsonValueKind.String:
                WriteString(ref writer, value);
                break;
            case JsonValueKind.Number:
                writer.WriteInt(GetInteger(value));
                break;
            case JsonValueKind.True:
                writer.WriteBool(true);
                break;
            case JsonValueKind.False:
                writer.WriteBool(false);
                break;
            default:
                writer.WriteNull();
                break;
        }
    }

    private static void WriteString(ref DagCborWriter writer, JsonElement value)
    {
        string s;
        try
        {
            s = value.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new DataModelException(DataModelError.InvalidText, "A string is not valid Unicode.", e);
        }
        try
        {
            writer.WriteText(s.AsSpan());
        }
        catch (ArgumentException e)
        {
            throw new DataModelException(DataModelError.InvalidText, "A string is not valid Unicode.", e);
        }
    }

    // Keep what we write readable by our own reader with default limits.
    private static int CheckCount(int count) => count <= DagCborLimits.DefaultMaxCollectionLength
        ? count
        : Throw<int>(DataModelError.LimitExceeded, $"More than {DagCborLimits.DefaultMaxCollectionLength} entries in one array or object.");

    private static long GetInteger(JsonElement value)
    {
        if (value.TryGetInt64(out long l))
            return l;
        // Written with a fraction or exponent (123.0, 1e3), or out of int64 range.
        if (value.TryGetDouble(out double d) && double.IsFinite(d) && Math.Abs(d) <= MaxSafeInteger && Math.Floor(d) == d)
            return (long)d;
        return Throw<long>(DataModelError.Float, "Numbers must be integers (floats are not allowed in atproto data).");
    }

    private static void WriteObject(ref DagCborWriter writer, JsonElement obj, int depth)
    {
        int count = CheckCount(obj.GetPropertyCount());
        Entry[] entries = ArrayPool<Entry>.Shared.Rent(Math.Max(count, 1));
        try
        {
            int n = 0;
            foreach (JsonProperty p in obj.EnumerateObject())
                entries[n++] = new Entry(p.Name, p.Value);
            Array.Sort(entries, 0, n, EntryComparer.Instance);
            for (int i = 1; i < n; i++)
            {
                if (entries[i].Name == entries[i - 1].Name)
                    Throw(DataModelError.DuplicateKey, $"Duplicate key '{Truncate(entries[i].Name)}'.");
            }
            ReadOnlySpan<Entry> sorted = entries.AsSpan(0, n);

            if (TryWriteSpecialObject(ref writer, sorted))
                return;
            ValidateTypedObject(sorted);

            writer.WriteMapHeader(n);
            foreach (ref readonly Entry e in sorted)
            {
                writer.WriteText(e.Name.AsSpan());
                WriteValue(ref writer, e.Value, depth + 1);
            }
        }
        catch (ArgumentException e) when (e is not ArgumentNullException)
        {
            // Only key text can raise this here (values map their own); unpaired surrogates in a key.
            throw new DataModelException(DataModelError.InvalidText, "A key is not valid Unicode.", e);
        }
        catch (InvalidOperationException e)
        {
            // JsonProperty.Name on a key with a lone surrogate escape.
            throw new DataModelException(DataModelError.InvalidText, "A key is not valid Unicode.", e);
        }
        finally
        {
            entries.AsSpan(0, count).Clear();
            ArrayPool<Entry>.Shared.Return(entries);
        }
    }

    /// <summary>Writes <c>{"$link"}</c> as a CID and <c>{"$bytes"}</c> as a byte string; returns false for ordinary objects.</summary>
    private static bool TryWriteSpecialObject(ref DagCborWriter writer, ReadOnlySpan<Entry> entries)
    {
        foreach (ref readonly Entry e in entries)
        {
            if (e.Name == "$link")
            {
                writer.WriteCid(ParseLink(entries));
                return true;
            }
            if (e.Name == "$bytes")
            {
                WriteBase64(ref writer, entries);
                return true;
            }
        }
        return false;
    }

    private static Cid ParseLink(ReadOnlySpan<Entry> entries)
    {
        if (entries.Length != 1 || entries[0].Value.ValueKind != JsonValueKind.String)
            Throw(DataModelError.InvalidLink, "A $link object must have exactly one key, a string.");
        if (!Cid.TryParse(entries[0].Value.GetString(), out Cid cid))
            Throw(DataModelError.InvalidLink, "A $link is not a valid CID.");
        return cid;
    }

    private static void WriteBase64(ref DagCborWriter writer, ReadOnlySpan<Entry> entries)
    {
        if (entries.Length != 1 || entries[0].Value.ValueKind != JsonValueKind.String)
            Throw(DataModelError.InvalidBytes, "A $bytes object must have exactly one key, a string.");
        string text = entries[0].Value.GetString()!;
        // atproto writes base64 without padding; accept padded input too. Pad, then decode strictly.
        int padded = (text.Length + 3) / 4 * 4;
        if (text.Length % 4 == 1)
            Throw(DataModelError.InvalidBytes, "$bytes is not valid base64.");
        byte[] rented = ArrayPool<byte>.Shared.Rent(padded);
        try
        {
            Span<byte> utf8 = rented.AsSpan(0, padded);
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c > 0x7f)
                    Throw(DataModelError.InvalidBytes, "$bytes is not valid base64.");
                utf8[i] = (byte)c;
            }
            utf8[text.Length..].Fill((byte)'=');
            // Go's RawStdEncoding and Node's Buffer ignore set bits after the last full byte ("123" is the
            // lexicon fixture's example); the BCL decoder rejects them, so clear them first.
            int partial = text.Length % 4;
            if (partial != 0)
                ClearTrailingBits(ref utf8[text.Length - 1], partial == 2 ? 0x30 : 0x3c);
            OperationStatus status = Base64.DecodeFromUtf8InPlace(utf8, out int written);
            if (status != OperationStatus.Done)
                Throw(DataModelError.InvalidBytes, "$bytes is not valid base64.");
            writer.WriteBytes(utf8[..written]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private const string Base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// <summary>Masks the 6-bit value of a base64 character; leaves non-alphabet characters for the decoder to reject.</summary>
    private static void ClearTrailingBits(ref byte c, int mask)
    {
        int v = Base64Alphabet.IndexOf((char)c);
        if (v >= 0)
            c = (byte)Base64Alphabet[v & mask];
    }

    /// <summary>Checks <c>$type</c> (non-empty string) and, for <c>"blob"</c>, the blob shape.</summary>
    private static void ValidateTypedObject(ReadOnlySpan<Entry> entries)
    {
        JsonElement type = default;
        bool hasType = false;
        foreach (ref readonly Entry e in entries)
        {
            if (e.Name == "$type")
            {
                type = e.Value;
                hasType = true;
                break;
            }
        }
        if (!hasType)
            return;
        if (type.ValueKind != JsonValueKind.String || type.GetString()!.Length == 0)
            Throw(DataModelError.InvalidType, "$type must be a non-empty string.");
        if (!type.ValueEquals("blob"u8))
            return;

        // A blob is exactly {$type, ref, mimeType, size}; sorted canonically that is ref, size, $type, mimeType.
        if (entries.Length != 4 || entries[0].Name != "ref" || entries[1].Name != "size" || entries[3].Name != "mimeType")
            Throw(DataModelError.InvalidBlob, "A blob must have exactly $type, ref, mimeType and size.");
        JsonElement link = entries[0].Value;
        if (link.ValueKind != JsonValueKind.Object || link.GetPropertyCount() != 1 || !link.TryGetProperty("$link"u8, out _))
            Throw(DataModelError.InvalidBlob, "A blob's ref must be a $link.");
        if (entries[3].Value.ValueKind != JsonValueKind.String)
            Throw(DataModelError.InvalidBlob, "A blob's mimeType must be a string.");
        if (entries[1].Value.ValueKind != JsonValueKind.Number || !entries[1].Value.TryGetInt64(out long size) || size < 0)
            Throw(DataModelError.InvalidBlob, "A blob's size must be a non-negative integer.");
    }

    private readonly record struct Entry(string Name, JsonElement Value);

    private sealed class EntryComparer : IComparer<Entry>
    {
        public static readonly EntryComparer Instance = new();

        public int Compare(Entry x, Entry y) => DagCborKeyOrder.StringComparer.Compare(x.Name, y.Name);
    }

    // ---- CBOR → JSON ----

    // Recursion depth is bounded by the reader's depth limit (≤ 64).
    private static void WriteJson(ref DagCborReader reader, Utf8JsonWriter writer)
    {
        switch (reader.PeekKind())
        {
            case CborKind.Integer:
                writer.WriteNumberValue(reader.ReadInt());
                break;
            case CborKind.Text:
                writer.WriteStringValue(reader.ReadText());
                break;
            case CborKind.Bool:
                writer.WriteBooleanValue(reader.ReadBool());
                break;
            case CborKind.Null:
                reader.ReadNull();
                writer.WriteNullValue();
                break;
            case CborKind.Cid:
            {
                Cid cid = reader.ReadCid();
                Span<char> text = stackalloc char[Cid.StringLength];
                cid.FormatTo(text);
                writer.WriteStartObject();
                writer.WriteString("$link"u8, text);
                writer.WriteEndObject();
                break;
            }
            case CborKind.Bytes:
                WriteBytesJson(reader.ReadBytes(), writer);
                break;
            case CborKind.Array:
            {
                int n = reader.ReadArrayHeader();
                writer.WriteStartArray();
                for (int i = 0; i < n; i++)
                    WriteJson(ref reader, writer);
                writer.WriteEndArray();
                break;
            }
            default:
            {
                int n = reader.ReadMapHeader();
                writer.WriteStartObject();
                for (int i = 0; i < n; i++)
                {
                    writer.WritePropertyName(reader.ReadMapKey());
                    WriteJson(ref reader, writer);
                }
                writer.WriteEndObject();
                break;
            }
        }
    }

    private static void WriteBytesJson(ReadOnlySpan<byte> bytes, Utf8JsonWriter writer)
    {
        int max = Base64.GetMaxEncodedToUtf8Length(bytes.Length);
        byte[]? rented = null;
        Span<byte> buffer = max <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            Base64.EncodeToUtf8(bytes, buffer, out _, out int written);
            while (written > 0 && buffer[written - 1] == (byte)'=')
                written--;
            writer.WriteStartObject();
            writer.WriteString("$bytes"u8, buffer[..written]);
            writer.WriteEndObject();
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "…";

    [DoesNotReturn]
    private static void Throw(DataModelError error, string message) => throw new DataModelException(error, message);

    [DoesNotReturn]
    private static T Throw<T>(DataModelError error, string message) => throw new DataModelException(error, message);
}
