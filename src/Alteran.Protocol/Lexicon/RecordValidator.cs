using System.Buffers;
using System.Text;
using System.Text.Json;
using Alteran.Protocol.Lexicon.Schema;

namespace Alteran.Protocol.Lexicon;

/// <summary>
/// Checks atproto JSON data (<c>$type</c>, <c>{"$link"}</c>, <c>{"$bytes"}</c>, blob objects) against lexicon schemas.
/// Walks the schema, not the data: properties are looked up by pre-encoded UTF-8 name, strings are compared
/// in UTF-8, and a path string is built only when something fails.
/// </summary>
internal static class RecordValidator
{
    /// <summary>Deepest object/array nesting validated; deeper data is rejected (no stack overflow).</summary>
    public const int MaxDepth = 64;

    private const int StackCharLimit = 256;

    public static bool Validate(LexiconCatalog catalog, LexSchema schema, JsonElement value, int depth, ref ValidationFailure? failure)
    {
        switch (schema.Type)
        {
            case LexType.Null:
                return value.ValueKind == JsonValueKind.Null || Fail(ref failure, "must be null");
            case LexType.Boolean:
                return ValidateBoolean((LexBoolean)schema, value, ref failure);
            case LexType.Integer:
                return ValidateInteger((LexInteger)schema, value, ref failure);
            case LexType.String:
                return ValidateString((LexString)schema, value, ref failure);
            case LexType.Bytes:
                return ValidateBytes((LexBytes)schema, value, ref failure);
            case LexType.CidLink:
                return IsCidLink(value) || Fail(ref failure, "must be a cid-link");
            case LexType.Blob:
                return ValidateBlob((LexBlob)schema, value, ref failure);
            case LexType.Array:
                return ValidateArray(catalog, (LexArray)schema, value, depth, ref failure);
            case LexType.Object:
                return ValidateObject(catalog, (LexObject)schema, value, depth, ref failure);
            case LexType.Record:
                return ValidateObject(catalog, ((LexRecord)schema).Record, value, depth, ref failure);
            case LexType.Ref:
                return ValidateRef(catalog, ((LexRef)schema).Target, value, depth, ref failure);
            case LexType.Union:
                return ValidateUnion(catalog, (LexUnion)schema, value, depth, ref failure);
            case LexType.Unknown:
                return IsDataObject(value) || Fail(ref failure, "must be an object");
            case LexType.Token:
                return Fail(ref failure, "cannot be a token definition");
            default:
                return Fail(ref failure, $"cannot be validated against a {LexiconParser.TypeName(schema.Type)} definition");
        }
    }

    public static bool ValidateObject(LexiconCatalog catalog, LexObject schema, JsonElement value, int depth, ref ValidationFailure? failure)
    {
        if (value.ValueKind != JsonValueKind.Object)
            return Fail(ref failure, "must be an object");
        if (depth >= MaxDepth)
            return Fail(ref failure, "is nested too deeply");
        foreach (LexProperty p in schema.RequiredWithoutSchema)
            if (!value.TryGetProperty(p.NameUtf8, out _))
                return Fail(ref failure, $"must have the property \"{p.Name}\"");
        foreach (LexProperty p in schema.PropertyArray)
        {
            if (!value.TryGetProperty(p.NameUtf8, out JsonElement v))
            {
                if (p.IsRequired)
                    return Fail(ref failure, $"must have the property \"{p.Name}\"");
                continue;
            }
            if (v.ValueKind == JsonValueKind.Null && p.IsNullable)
                continue;
            if (!Validate(catalog, p.Schema, v, depth + 1, ref failure))
            {
                failure!.Push(p.Name);
                return false;
            }
        }
        return true;
    }

    private static bool ValidateBoolean(LexBoolean schema, JsonElement value, ref ValidationFailure? failure)
    {
        bool b;
        if (value.ValueKind == JsonValueKind.True)
            b = true;
        else if (value.ValueKind == JsonValueKind.False)
            b = false;
        else
            return Fail(ref failure, "must be a boolean");
        if (schema.Const is bool c && c != b)
            return Fail(ref failure, c ? "must be true" : "must be false");
        return true;
    }

    private static bool ValidateInteger(LexInteger schema, JsonElement value, ref ValidationFailure? failure)
    {
        // TryGetInt64 rejects fractions and exponents ("1.0", "1e3"): atproto integers are written plainly.
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long n))
            return Fail(ref failure, "must be an integer");
        if (schema.Const is long c && n != c)
            return Fail(ref failure, $"must be {c}");
        if (schema.Enum is long[] values && Array.IndexOf(values, n) < 0)
            return Fail(ref failure, $"must be one of ({string.Join('|', values)})");
        if (n < schema.Minimum)
            return Fail(ref failure, $"must not be less than {schema.Minimum}");
        if (n > schema.Maximum)
            return Fail(ref failure, $"must not be greater than {schema.Maximum}");
        return true;
    }

    private static bool ValidateString(LexString schema, JsonElement value, ref ValidationFailure? failure)
    {
        if (value.ValueKind != JsonValueKind.String)
            return Fail(ref failure, "must be a string");
        if (schema.ConstUtf8 is byte[] c && !value.ValueEquals(c))
            return Fail(ref failure, $"must be \"{schema.Const}\"");
        if (schema.EnumUtf8 is byte[][] values)
        {
            bool found = false;
            foreach (byte[] v in values)
                if (value.ValueEquals(v)) { found = true; break; }
            if (!found)
                return Fail(ref failure, $"must be one of ({string.Join('|', schema.Enum!)})");
        }
        bool needGraphemes = schema.MinGraphemes.HasValue || schema.MaxGraphemes.HasValue;
        if (schema.MinLength is null && schema.MaxLength is null && !needGraphemes && schema.Format == LexStringFormat.None)
            return true;

        using var text = new JsonStringValue(value);
        ReadOnlySpan<byte> utf8 = text.Utf8;
        if (utf8.Length < schema.MinLength)
            return Fail(ref failure, $"must not be shorter than {schema.MinLength} bytes (UTF-8)");
        if (utf8.Length > schema.MaxLength)
            return Fail(ref failure, $"must not be longer than {schema.MaxLength} bytes (UTF-8)");
        // A grapheme takes at least one UTF-8 byte, so the byte count bounds the grapheme count from above.
        if (utf8.Length < schema.MinGraphemes)
            return Fail(ref failure, $"must not be shorter than {schema.MinGraphemes} graphemes");
        needGraphemes = schema.MinGraphemes > 0 || utf8.Length > schema.MaxGraphemes;
        if (needGraphemes && !ValidateGraphemes(schema, utf8, ref failure))
            return false;
        if (schema.Format != LexStringFormat.None && !LexStringFormats.IsValid(schema.Format, utf8))
            return Fail(ref failure, $"must be a valid {LexStringFormats.Name(schema.Format)}");
        return true;
    }

    private static bool ValidateGraphemes(LexString schema, ReadOnlySpan<byte> utf8, ref ValidationFailure? failure)
    {
        char[]? rented = null;
        Span<char> buffer = utf8.Length <= StackCharLimit
            ? stackalloc char[StackCharLimit]
            : (rented = ArrayPool<char>.Shared.Rent(utf8.Length));
        try
        {
            ReadOnlySpan<char> chars = buffer[..Encoding.UTF8.GetChars(utf8, buffer)];
            int max = schema.MaxGraphemes ?? int.MaxValue;
            int count = Graphemes.Count(chars, max);
            if (count > max)
                return Fail(ref failure, $"must not be longer than {max} graphemes");
            if (count < schema.MinGraphemes)
                return Fail(ref failure, $"must not be shorter than {schema.MinGraphemes} graphemes");
            return true;
        }
        finally
        {
            if (rented is not null)
                ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static bool ValidateBytes(LexBytes schema, JsonElement value, ref ValidationFailure? failure)
    {
        if (!TryGetSingleProperty(value, "$bytes"u8, out JsonElement b64) || b64.ValueKind != JsonValueKind.String)
            return Fail(ref failure, "must be a byte array ({\"$bytes\": base64})");
        using var text = new JsonStringValue(b64);
        if (!Base64Length(text.Utf8, out int length))
            return Fail(ref failure, "must be a byte array ({\"$bytes\": base64})");
        if (length < schema.MinLength)
            return Fail(ref failure, $"must not be shorter than {schema.MinLength} bytes");
        if (length > schema.MaxLength)
            return Fail(ref failure, $"must not be longer than {schema.MaxLength} bytes");
        return true;
    }

    private static bool ValidateBlob(LexBlob schema, JsonElement value, ref ValidationFailure? failure)
    {
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("$type"u8, out JsonElement type) || type.ValueKind != JsonValueKind.String || !type.ValueEquals("blob"u8)
            || !value.TryGetProperty("ref"u8, out JsonElement link) || !IsCidLink(link)
            || !value.TryGetProperty("mimeType"u8, out JsonElement mime) || mime.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("size"u8, out JsonElement sizeElement) || sizeElement.ValueKind != JsonValueKind.Number
            || !sizeElement.TryGetInt64(out long size) || size < 0)
            return Fail(ref failure, "must be a blob ({\"$type\":\"blob\",\"ref\":{\"$link\":cid},\"mimeType\",\"size\"})");
        if (size > schema.MaxSize)
            return Fail(ref failure, $"size must not be greater than {schema.MaxSize} bytes");
        if (schema.AcceptUtf8 is byte[][] accept)
        {
            using var text = new JsonStringValue(mime);
            bool ok = false;
            foreach (byte[] pattern in accept)
                if (MimeMatches(pattern, text.Utf8)) { ok = true; break; }
            if (!ok)
                return Fail(ref failure, $"mimeType must be one of {string.Join(", ", schema.Accept!)}");
        }
        return true;
    }

    private static bool ValidateArray(LexiconCatalog catalog, LexArray schema, JsonElement value, int depth, ref ValidationFailure? failure)
    {
        if (value.ValueKind != JsonValueKind.Array)
            return Fail(ref failure, "must be an array");
        if (depth >= MaxDepth)
            return Fail(ref failure, "is nested too deeply");
        int length = value.GetArrayLength();
        if (length < schema.MinLength)
            return Fail(ref failure, $"must not have fewer than {schema.MinLength} elements");
        if (length > schema.MaxLength)
            return Fail(ref failure, $"must not have more than {schema.MaxLength} elements");
        int i = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (!Validate(catalog, schema.Items, item, depth + 1, ref failure))
            {
                failure!.Push(i);
                return false;
            }
            i++;
        }
        return true;
    }

    private static bool ValidateRef(LexiconCatalog catalog, LexRefTarget target, JsonElement value, int depth, ref ValidationFailure? failure)
    {
        LexSchema? def = catalog.Resolve(target);
        if (def is null)
            return Fail(ref failure, $"refers to an unknown lexicon definition {target.FullName}");
        if (def.Type == LexType.Token)
        {
            // A ref to a token stands for the token's name as a string.
            return value.ValueKind == JsonValueKind.String && value.ValueEquals(target.TypeNameUtf8)
                || Fail(ref failure, $"must be \"{target.TypeName}\"");
        }
        return Validate(catalog, def, value, depth, ref failure);
    }

    private static bool ValidateUnion(LexiconCatalog catalog, LexUnion schema, JsonElement value, int depth, ref ValidationFailure? failure)
    {
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("$type"u8, out JsonElement type) || type.ValueKind != JsonValueKind.String)
            return Fail(ref failure, "must be an object which includes the \"$type\" property");
        foreach (LexRefTarget target in schema.TargetArray)
        {
            if (type.ValueEquals(target.TypeNameUtf8) || (target.AltTypeNameUtf8 is byte[] alt && type.ValueEquals(alt)))
                return ValidateRef(catalog, target, value, depth, ref failure);
        }
        if (!schema.Closed)
            return true; // Open unions accept types this server does not know.
        var names = new string[schema.TargetArray.Length];
        for (int i = 0; i < names.Length; i++)
            names[i] = schema.TargetArray[i].TypeName;
        return Fail(ref failure, $"$type must be one of {string.Join(", ", names)}");
    }

    /// <summary>
    /// True for a JSON object that is plain data: not the <c>{"$bytes"}</c> or <c>{"$link"}</c> forms and not a blob.
    /// </summary>
    private static bool IsDataObject(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            return false;
        if (value.TryGetProperty("$type"u8, out JsonElement type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("blob"u8))
            return false;
        if (TryGetSingleProperty(value, "$bytes"u8, out _) || TryGetSingleProperty(value, "$link"u8, out _))
            return false;
        return true;
    }

    private static bool IsCidLink(JsonElement value)
    {
        if (!TryGetSingleProperty(value, "$link"u8, out JsonElement link) || link.ValueKind != JsonValueKind.String)
            return false;
        using var text = new JsonStringValue(link);
        return LexStringFormats.IsValidLink(text.Utf8);
    }

    /// <summary>True when <paramref name="value"/> is an object whose only property is <paramref name="name"/>.</summary>
    private static bool TryGetSingleProperty(JsonElement value, ReadOnlySpan<byte> name, out JsonElement property)
    {
        property = default;
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out property))
            return false;
        var e = value.EnumerateObject();
        return e.MoveNext() && !e.MoveNext();
    }

    /// <summary>
    /// Checks base64 text (standard alphabet, padding optional as atproto writes it without) and returns the
    /// decoded length without decoding.
    /// </summary>
    internal static bool Base64Length(ReadOnlySpan<byte> text, out int length)
    {
        length = 0;
        int end = text.Length;
        if (end > 0 && text[end - 1] == (byte)'=')
        {
            end--;
            if (end > 0 && text[end - 1] == (byte)'=')
                end--;
            if (text.Length % 4 != 0)
                return false;
        }
        if (end % 4 == 1)
            return false;
        foreach (byte b in text[..end])
            if (!(b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'+' or (byte)'/'))
                return false;
        length = (int)((long)end * 3 / 4);
        return true;
    }

    /// <summary><c>*/*</c> matches any type, <c>image/*</c> any <c>image/...</c>; otherwise an exact, case-insensitive match.</summary>
    internal static bool MimeMatches(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> mime)
    {
        if (pattern.SequenceEqual("*/*"u8))
            return true;
        if (pattern.EndsWith("/*"u8))
        {
            ReadOnlySpan<byte> prefix = pattern[..^1]; // "image/"
            return mime.Length > prefix.Length && Ascii.EqualsIgnoreCase(mime[..prefix.Length], prefix);
        }
        return Ascii.EqualsIgnoreCase(pattern, mime);
    }

    private static bool Fail(ref ValidationFailure? failure, string message)
    {
        failure = new ValidationFailure(message);
        return false;
    }
}
