using System.Text;
using System.Text.Json;

namespace Alteran.Net.Jetstream;

/// <summary>
/// Parses subscriber-sourced messages: WebSocket text frames <c>{"type": "...", "payload": {...}}</c>. The only
/// type Jetstream acts on is <c>options_update</c>, whose payload
/// <c>{"wantedCollections": [...], "wantedDids": [...], "maxMessageSizeBytes": n}</c> replaces the subscriber's
/// whole filter (a missing or null list means "everything"; <c>cursor</c> and <c>compress</c> cannot change).
/// Field names match case-insensitively and unknown fields are ignored, as Go's JSON decoder does.
/// </summary>
public static class JetstreamSubscriberMessage
{
    /// <summary>The <c>type</c> of an options update.</summary>
    public const string OptionsUpdateType = "options_update";

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = 64,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>
    /// Parses one subscriber message. Returns the new filter for an <c>options_update</c>, or null for any other
    /// type (which Jetstream ignores).
    /// </summary>
    /// <exception cref="JetstreamOptionsException">The message is too large, not JSON of the expected shape, or its
    /// options are invalid (Jetstream closes the connection with the message as reason).</exception>
    public static JetstreamFilter? ParseOptionsUpdate(ReadOnlySpan<byte> message)
    {
        if (message.Length > JetstreamLimits.MaxSubscriberMessageBytes)
            throw new JetstreamOptionsException(JetstreamOptionsError.MessageTooLarge,
                $"subscriber message too large (max {JetstreamLimits.MaxSubscriberMessageBytes} bytes)");
        try
        {
            return Parse(message);
        }
        catch (JsonException e)
        {
            throw Invalid("invalid JSON", e);
        }
        catch (InvalidOperationException e) // a token of the wrong type for GetString/GetInt64
        {
            throw Invalid("invalid JSON value", e);
        }
    }

    private static JetstreamFilter? Parse(ReadOnlySpan<byte> message)
    {
        var reader = new Utf8JsonReader(message, ReaderOptions);
        Read(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            ReadEnd(ref reader);
            return null; // Go decodes "null" into an empty message: no type, ignored.
        }
        if (reader.TokenType != JsonTokenType.StartObject)
            throw Invalid("message must be a JSON object");

        bool isUpdate = false;
        int payloadStart = -1, payloadEnd = -1;
        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
                break;
            if (NameIs(ref reader, "type"u8))
            {
                Read(ref reader);
                if (reader.TokenType == JsonTokenType.String)
                    isUpdate = reader.ValueTextEquals(OptionsUpdateType);
                else if (reader.TokenType == JsonTokenType.Null)
                    isUpdate = false;
                else
                    throw Invalid("type must be a string");
            }
            else if (NameIs(ref reader, "payload"u8))
            {
                Read(ref reader);
                payloadStart = (int)reader.TokenStartIndex;
                reader.Skip();
                payloadEnd = (int)reader.BytesConsumed;
            }
            else
            {
                Read(ref reader);
                reader.Skip();
            }
        }
        ReadEnd(ref reader);

        if (!isUpdate)
            return null;
        if (payloadStart < 0)
            throw Invalid("options_update without payload");
        return ParsePayload(message[payloadStart..payloadEnd]);
    }

    private static JetstreamFilter ParsePayload(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload, ReaderOptions);
        Read(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
            return JetstreamFilter.All;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw Invalid("payload must be a JSON object");

        List<string>? collections = null, dids = null;
        uint maxSize = 0;
        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
                break;
            if (NameIs(ref reader, "wantedCollections"u8))
                collections = ReadStringList(ref reader, JetstreamLimits.MaxRawCollections, "wantedCollections");
            else if (NameIs(ref reader, "wantedDids"u8))
                dids = ReadStringList(ref reader, JetstreamLimits.MaxRawDids, "wantedDids");
            else if (NameIs(ref reader, "maxMessageSizeBytes"u8))
            {
                Read(ref reader);
                if (reader.TokenType == JsonTokenType.Null)
                    maxSize = 0;
                else if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long n))
                    maxSize = JetstreamSubscribeOptions.ClampMaxMessageSize(n);
                else
                    throw Invalid("maxMessageSizeBytes must be an integer");
            }
            else
            {
                Read(ref reader);
                reader.Skip();
            }
        }
        return JetstreamFilter.Create(collections, dids, maxSize);
    }

    // Null means "not set" (Go leaves a nil slice); otherwise an array of strings. Entries past the raw limit are
    // not kept: the filter rejects such a list anyway, and the count stays bounded by the message size.
    private static List<string>? ReadStringList(ref Utf8JsonReader reader, int rawLimit, string name)
    {
        Read(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.StartArray)
            throw Invalid(name + " must be an array of strings");
        var list = new List<string>();
        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
                return list;
            if (reader.TokenType != JsonTokenType.String)
                throw Invalid(name + " must be an array of strings");
            if (list.Count > rawLimit)
                continue;
            list.Add(reader.GetString()!);
        }
    }

    // Go matches JSON field names to struct fields case-insensitively.
    private static bool NameIs(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        if (!reader.ValueIsEscaped)
            return Ascii.EqualsIgnoreCase(reader.ValueSpan, name);
        // An escaped name unescapes to at most its raw length; ours are short, so longer ones cannot match.
        if (reader.ValueSpan.Length > 128)
            return false;
        Span<byte> buffer = stackalloc byte[128];
        int length = reader.CopyString(buffer);
        return Ascii.EqualsIgnoreCase(buffer[..length], name);
    }

    private static void Read(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
            throw Invalid("truncated JSON");
    }

    private static void ReadEnd(ref Utf8JsonReader reader)
    {
        if (reader.Read())
            throw Invalid("trailing data after the JSON message");
    }

    private static JetstreamOptionsException Invalid(string message, Exception? inner = null) =>
        new(JetstreamOptionsError.InvalidMessage, message, inner);
}
