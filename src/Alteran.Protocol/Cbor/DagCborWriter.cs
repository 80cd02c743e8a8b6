using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace Alteran.Protocol.Cbor;

/// <summary>
/// Writes DAG-CBOR (the strict, canonical CBOR profile atproto uses) to an <see cref="IBufferWriter{T}"/>.
/// Every header is written in its shortest form, lengths are always definite, and CIDs go out as tag 42.
/// Map keys must be written by the caller in canonical order (<see cref="DagCborKeyOrder"/>); the writer
/// does not buffer or sort.
/// </summary>
/// <remarks>
/// The writer caches the span last returned by <see cref="IBufferWriter{T}.GetSpan"/> and only calls
/// <see cref="IBufferWriter{T}.Advance"/> when that span is exhausted (refill, kept out of line) or on
/// <see cref="Flush"/>. Each token's size is computed first, so a token is never split across a refill
/// except for long byte/text payloads, which are copied chunk by chunk.
/// Call <see cref="Flush"/> when done, or the tail of the output is lost.
/// </remarks>
public ref struct DagCborWriter
{
    // Ask for at least this much on refill so that small tokens share one GetSpan call.
    private const int MinRefill = 64;

    // Above this many chars, WriteText(chars) counts bytes first instead of reserving 3 bytes per char.
    private const int ShortTextChars = 256;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _buffered;
    private long _flushed;

    /// <summary>Creates a writer appending to <paramref name="output"/>.</summary>
    public DagCborWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _span = default;
        _buffered = 0;
        _flushed = 0;
    }

    /// <summary>Total bytes written so far (flushed or not).</summary>
    public readonly long BytesWritten => _flushed + _buffered;

    /// <summary>Writes a map header; the caller then writes <paramref name="count"/> key/value pairs in canonical key order.</summary>
    public void WriteMapHeader(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        WriteHeader(CborMajor.Map, (ulong)count);
    }

    /// <summary>Writes an array header; the caller then writes <paramref name="count"/> values.</summary>
    public void WriteArrayHeader(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        WriteHeader(CborMajor.Array, (ulong)count);
    }

    /// <summary>Writes a text string from UTF-8 bytes; throws <see cref="ArgumentException"/> if they are not valid UTF-8.</summary>
    public void WriteText(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
            throw new ArgumentException("Text is not valid UTF-8.", nameof(utf8));
        WriteHeader(CborMajor.Text, (ulong)utf8.Length);
        WritePayload(utf8);
    }

    /// <summary>Writes a text string from UTF-16, encoding straight into the output (no intermediate buffer).</summary>
    /// <exception cref="ArgumentException">The text has unpaired surrogates.</exception>
    public void WriteText(ReadOnlySpan<char> text)
    {
        if (text.Length <= ShortTextChars)
        {
            // Reserve the worst case (3 bytes per char, 3-byte header max for <= 768 bytes), encode, then
            // fix up the header size: one pass over the chars, no counting pass.
            int max = 3 + text.Length * 3;
            Span<byte> span = Reserve(max);
            OperationStatus status = Utf8.FromUtf16(text, span[3..], out _, out int n, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
                throw new ArgumentException("Text has unpaired surrogates.", nameof(text));
            int headerLength = HeaderLength((ulong)n);
            if (headerLength != 3)
                span.Slice(3, n).CopyTo(span[headerLength..]);
            WriteHeaderTo(span, CborMajor.Text, (ulong)n);
            _buffered += headerLength + n;
            return;
        }

        int count;
        try
        {
            count = StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("Text has unpaired surrogates.", nameof(text), e);
        }
        WriteHeader(CborMajor.Text, (ulong)count);
        if (_span.Length - _buffered < count)
            Refill(count);
        // Refill asked for count bytes; IBufferWriter guarantees at least that much.
        _buffered += StrictUtf8.GetBytes(text, _span[_buffered..]);
    }

    /// <summary>Writes a byte string.</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        WriteHeader(CborMajor.Bytes, (ulong)bytes.Length);
        WritePayload(bytes);
    }

    /// <summary>Writes an integer in its shortest form (major type 0 for ≥ 0, 1 for &lt; 0).</summary>
    public void WriteInt(long value)
    {
        // For negative n, CBOR stores -1 - n, which is ~n (never overflows).
        if (value >= 0)
            WriteHeader(CborMajor.Unsigned, (ulong)value);
        else
            WriteHeader(CborMajor.Negative, (ulong)~value);
    }

    /// <summary>Writes <c>true</c> (0xf5) or <c>false</c> (0xf4).</summary>
    public void WriteBool(bool value) => WriteByte(value ? (byte)0xf5 : (byte)0xf4);

    /// <summary>Writes <c>null</c> (0xf6).</summary>
    public void WriteNull() => WriteByte(0xf6);

    /// <summary>Writes a CID link: tag 42 (0xd8 0x2a), then a 37-byte byte string of 0x00 + the binary CID.</summary>
    public void WriteCid(in Cid cid)
    {
        if (cid.IsEmpty)
            throw new ArgumentException("default(Cid) cannot be written.", nameof(cid));
        Span<byte> span = Reserve(CidTokenLength);
        span[0] = 0xd8;
        span[1] = 42;
        span[2] = 0x58;
        span[3] = 1 + Cid.ByteLength;
        span[4] = 0x00;
        cid.WriteTo(span.Slice(5, Cid.ByteLength));
        _buffered += CidTokenLength;
    }

    /// <summary>Encoded length of a CID link (tag, byte-string header, multibase prefix, 36-byte CID).</summary>
    public const int CidTokenLength = 5 + Cid.ByteLength;

    /// <summary>
    /// Copies already-encoded DAG-CBOR as is (for example a record block embedded as a value).
    /// The caller is responsible for it being exactly one canonical value.
    /// </summary>
    public void WriteEncodedValue(ReadOnlySpan<byte> encoded) => WritePayload(encoded);

    /// <summary>Commits everything written so far to the underlying <see cref="IBufferWriter{T}"/>.</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _flushed += _buffered;
        }
        _buffered = 0;
        _span = default;
    }

    /// <summary>Length of a header (initial byte plus argument) for <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int HeaderLength(ulong value) => value switch
    {
        < 24 => 1,
        <= byte.MaxValue => 2,
        <= ushort.MaxValue => 3,
        <= uint.MaxValue => 5,
        _ => 9,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteHeader(CborMajor major, ulong value)
    {
        if (value < 24 && _buffered < _span.Length)
        {
            _span[_buffered++] = (byte)((int)major << 5 | (int)value);
            return;
        }
        WriteHeaderSlow(major, value);
    }

    private void WriteHeaderSlow(CborMajor major, ulong value)
    {
        Span<byte> span = Reserve(9);
        _buffered += WriteHeaderTo(span, major, value);
    }

    /// <summary>Writes a shortest-form header into <paramref name="destination"/> (≥ 9 bytes); returns its length.</summary>
    internal static int WriteHeaderTo(Span<byte> destination, CborMajor major, ulong value)
    {
        int m = (int)major << 5;
        switch (value)
        {
            case < 24:
                destination[0] = (byte)(m | (int)value);
                return 1;
            case <= byte.MaxValue:
                destination[0] = (byte)(m | 24);
                destination[1] = (byte)value;
                return 2;
            case <= ushort.MaxValue:
                destination[0] = (byte)(m | 25);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(destination[1..], (ushort)value);
                return 3;
            case <= uint.MaxValue:
                destination[0] = (byte)(m | 26);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)value);
                return 5;
            default:
                destination[0] = (byte)(m | 27);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination[1..], value);
                return 9;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteByte(byte b)
    {
        if (_buffered >= _span.Length)
            Refill(1);
        _span[_buffered++] = b;
    }

    /// <summary>Returns a span of at least <paramref name="size"/> free bytes at the write position (not yet counted as written).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int size)
    {
        if (_span.Length - _buffered < size)
            Refill(size);
        return _span[_buffered..];
    }

    private void WritePayload(ReadOnlySpan<byte> data)
    {
        if (data.Length <= _span.Length - _buffered)
        {
            data.CopyTo(_span[_buffered..]);
            _buffered += data.Length;
            return;
        }
        WritePayloadSlow(data);
    }

    // Large payloads: copy in whatever chunk sizes the output hands out (pipes cap segment size).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WritePayloadSlow(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int free = _span.Length - _buffered;
            if (free == 0)
            {
                Refill(1);
                free = _span.Length - _buffered;
            }
            int n = Math.Min(free, data.Length);
            data[..n].CopyTo(_span[_buffered..]);
            _buffered += n;
            data = data[n..];
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Refill(int size)
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _flushed += _buffered;
            _buffered = 0;
        }
        _span = _output.GetSpan(Math.Max(size, MinRefill));
        if (_span.Length < size)
            throw new InvalidOperationException("The IBufferWriter returned a span smaller than requested.");
    }
}
