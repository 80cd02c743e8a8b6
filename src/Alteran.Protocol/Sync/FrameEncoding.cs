using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Alteran.Protocol.Cbor;

namespace Alteran.Protocol.Sync;

/// <summary>Pieces shared by the frame encoders.</summary>
/// <remarks>
/// Frame layout (event-stream spec, "Framing"): two DAG-CBOR values back to back, no length prefix.
/// <code>
/// message: {t: "#commit", op: 1}  body-map      e.g. a2 61 74 67 "#commit" 62 6f 70 01 | a? ...
/// error:   {op: -1}               {error, message?}   a1 62 6f 70 20 | a1/a2 ...
/// </code>
/// Keys are in canonical DAG-CBOR order (shorter first, then bytewise), which is why <c>t</c> precedes <c>op</c>.
/// </remarks>
internal static class FrameEncoding
{
    /// <summary>Length of <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
    private const int TimeLength = 24;

    /// <summary>Writes the message header <c>{t: type, op: 1}</c>.</summary>
    public static void WriteMessageHeader(ref DagCborWriter writer, ReadOnlySpan<byte> type)
    {
        writer.WriteMapHeader(2);
        writer.WriteText("t"u8);
        writer.WriteText(type);
        writer.WriteText("op"u8);
        writer.WriteInt((int)FirehoseFrameOp.Message);
    }

    /// <summary>Writes the error header <c>{op: -1}</c>.</summary>
    public static void WriteErrorHeader(ref DagCborWriter writer)
    {
        writer.WriteMapHeader(1);
        writer.WriteText("op"u8);
        writer.WriteInt((int)FirehoseFrameOp.Error);
    }

    /// <summary>
    /// Writes <paramref name="time"/> as an atproto datetime in UTC with milliseconds and <c>Z</c>, as the
    /// reference PDS does (<c>Date.toISOString()</c>), formatted on the stack.
    /// </summary>
    public static void WriteTime(ref DagCborWriter writer, DateTimeOffset time)
    {
        Span<byte> utf8 = stackalloc byte[32];
        if (!time.UtcDateTime.TryFormat(utf8, out int n, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) || n != TimeLength)
            throw new ArgumentOutOfRangeException(nameof(time), "The time does not format as a 4-digit-year datetime.");
        // WriteText copies the bytes; the compiler cannot see that a ref-struct writer does not keep the span,
        // so hand it a span whose scope is not tracked.
        writer.WriteText(MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetReference(utf8), n));
    }

    public static void CheckSeq(long seq)
    {
        // Sequence numbers are positive (event-stream spec, "Sequence Numbers").
        ArgumentOutOfRangeException.ThrowIfLessThan(seq, 1);
    }

    public static void CheckTime(DateTimeOffset time)
    {
        int year = time.UtcDateTime.Year;
        if (year is < 1 or > 9999 || time == default)
            throw new ArgumentOutOfRangeException(nameof(time), "The event time is unset.");
    }

    public static void CheckText(string? value, int maxLength, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, name);
        if (value.Length > maxLength)
            throw new ArgumentOutOfRangeException(name, $"{name} is longer than {maxLength} chars.");
        // Checked here, not left to the writer, so that a bad string fails before any byte is written.
        if (value.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') && !IsWellFormedUtf16(value))
            throw new ArgumentException($"{name} has unpaired surrogates.", name);
    }

    private static bool IsWellFormedUtf16(ReadOnlySpan<char> s)
    {
        while (!s.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(s, out _, out int used) != System.Buffers.OperationStatus.Done)
                return false;
            s = s[used..];
        }
        return true;
    }

    public static void CheckOptionalText(string? value, int maxLength, string name)
    {
        if (value is not null)
            CheckText(value, maxLength, name);
    }

    /// <summary>Flushes <paramref name="writer"/> and returns the bytes the frame took.</summary>
    public static int Finish(ref DagCborWriter writer)
    {
        writer.Flush();
        return checked((int)writer.BytesWritten);
    }
}
