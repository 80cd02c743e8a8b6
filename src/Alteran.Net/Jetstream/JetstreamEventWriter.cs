using System.Buffers;
using System.Text;
using System.Text.Json;
using Alteran.Protocol;
using Alteran.Protocol.DataModel;

namespace Alteran.Net.Jetstream;

/// <summary>
/// Writes Jetstream v1 events as JSON, field for field in the order Jetstream emits them
/// (<c>did, time_us, kind, commit|account|identity</c>; commit: <c>rev, operation, collection, rkey, record, cid</c>;
/// identity: <c>did, handle?, seq, time</c>; account: <c>active, did, seq, status?, time</c>). Empty optional
/// strings are omitted as Go's <c>omitempty</c> does. The record is converted straight from its DAG-CBOR block.
/// </summary>
/// <remarks>
/// On an exception (a malformed record block) the writer holds a partial event: reset it and discard its output.
/// <see cref="JetstreamEncoder"/> does that for you.
/// </remarks>
public static class JetstreamEventWriter
{
    /// <summary>
    /// Writer options for events: no indentation, and minimal escaping so all non-ASCII text (emoji too) and base64
    /// stay as they are, as in Jetstream's output (whose Go encoder also escapes <c>&lt;&gt;&amp;</c>, which JSON does
    /// not need).
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JetstreamJsonEncoder.Instance,
        Indented = false,
        SkipValidation = true,
    };

    /// <summary>Writes a <c>"kind":"commit"</c> event. Throws if the record block is not valid DAG-CBOR.</summary>
    public static void WriteCommit(Utf8JsonWriter writer, scoped in JetstreamCommit commit)
    {
        ArgumentNullException.ThrowIfNull(writer);
        bool hasRecord = commit.Operation != JetstreamOperation.Delete;
        if (hasRecord && (commit.Record.IsEmpty || commit.Cid.IsEmpty))
            throw new ArgumentException("A create or update needs its record block and CID.", nameof(commit));

        WriteHeader(writer, commit.Did, commit.TimeUs, "commit"u8);
        writer.WriteStartObject("commit"u8);
        WriteOptional(writer, "rev"u8, commit.Rev);
        writer.WriteString("operation"u8, commit.Operation switch
        {
            JetstreamOperation.Create => "create"u8,
            JetstreamOperation.Update => "update"u8,
            _ => "delete"u8,
        });
        WriteOptional(writer, "collection"u8, commit.Collection);
        WriteOptional(writer, "rkey"u8, commit.RecordKey);
        if (hasRecord)
        {
            writer.WritePropertyName("record"u8);
            DagJson.CborToJson(commit.Record, writer);
            Span<char> cid = stackalloc char[Cid.StringLength];
            int length = commit.Cid.FormatTo(cid);
            WriteString(writer, "cid"u8, cid[..length]);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Writes a <c>"kind":"identity"</c> event.</summary>
    public static void WriteIdentity(Utf8JsonWriter writer, scoped in JetstreamIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteHeader(writer, identity.Did, identity.TimeUs, "identity"u8);
        writer.WriteStartObject("identity"u8);
        WriteString(writer, "did"u8, identity.Did);
        WriteOptional(writer, "handle"u8, identity.Handle);
        writer.WriteNumber("seq"u8, identity.Seq);
        WriteString(writer, "time"u8, identity.Time);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Writes a <c>"kind":"account"</c> event.</summary>
    public static void WriteAccount(Utf8JsonWriter writer, scoped in JetstreamAccount account)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteHeader(writer, account.Did, account.TimeUs, "account"u8);
        writer.WriteStartObject("account"u8);
        writer.WriteBoolean("active"u8, account.Active);
        WriteString(writer, "did"u8, account.Did);
        writer.WriteNumber("seq"u8, account.Seq);
        WriteOptional(writer, "status"u8, account.Status);
        WriteString(writer, "time"u8, account.Time);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteHeader(Utf8JsonWriter writer, ReadOnlySpan<char> did, long timeUs, ReadOnlySpan<byte> kind)
    {
        writer.WriteStartObject();
        WriteString(writer, "did"u8, did);
        writer.WriteNumber("time_us"u8, timeUs);
        writer.WriteString("kind"u8, kind);
    }

    private static void WriteOptional(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ReadOnlySpan<char> value)
    {
        if (!value.IsEmpty)
            WriteString(writer, name, value);
    }

    // Utf8JsonWriter's UTF-16 value overloads allocate on every call (~100 B); transcoding ourselves does not.
    private static void WriteString(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ReadOnlySpan<char> value)
    {
        const int stackChars = 256;
        if (value.Length <= stackChars)
        {
            Span<byte> utf8 = stackalloc byte[stackChars * 3];
            int written = Utf8Text.GetBytes(value, utf8);
            writer.WriteString(name, utf8[..written]);
            return;
        }
        byte[] rented = ArrayPool<byte>.Shared.Rent(Utf8Text.GetMaxByteCount(value.Length));
        try
        {
            int written = Utf8Text.GetBytes(value, rented);
            writer.WriteString(name, rented.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    // Lone surrogates in our own strings throw rather than becoming U+FFFD silently.
    private static readonly UTF8Encoding Utf8Text = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
