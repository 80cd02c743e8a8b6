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
    /// Writes <paramref name="time"/> as an atproto datetime in UTC with milliseconds and <c>Z</c>
    /// (<c>yyyy-MM-ddTHH:mm:ss.fffZ</c>), as the reference PDS does with <c>Date.toISOString()</c>. Digits are
    /// placed by hand on the stack: a custom .NET format string would be parsed on every call.
    /// </summary>
    public static void WriteTime(ref DagCborWriter writer, DateTimeOffset time)
    {
        DateTime t = time.UtcDateTime;
        Span<byte> s = stackalloc byte[TimeLength];
        Digits(s[0..4], t.Year);
        s[4] = (byte)'-';
        Digits(s[5..7], t.Month);
        s[7] = (byte)'-';
        Digits(s[8..10], t.Day);
        s[10] = (byte)'T';
        Digits(s[11..13], t.Hour);
        s[13] = (byte)':';
        Digits(s[14..16], t.Minute);
        s[16] = (byte)':';
        Digits(s[17..19], t.Second);
        s[19] = (byte)'.';
        Digits(s[20..23], t.Millisecond);
        s[23] = (byte)'Z';
        // WriteText copies the bytes; the compiler cannot see that a ref-struct writer does not keep the span,
        // so hand it a span whose scope is not tracked.
        writer.WriteText(MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetReference(s), TimeLength));
    }

    /// <summary>Writes <paramref name="value"/> as exactly <c>destination.Length</c> decimal digits, zero-padded.</summary>
    private static void Digits(Span<byte> destination, int value)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + value % 10);
            value /= 10;
        }
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
