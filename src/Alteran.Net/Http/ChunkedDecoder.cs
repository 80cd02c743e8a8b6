using System.Buffers;

namespace Alteran.Net.Http;

/// <summary>
/// Incremental decoder for <c>Transfer-Encoding: chunked</c> request bodies (RFC 9112 section 7.1).
/// <para>
/// Strict where lenience enabled smuggling: the chunk-size line must end in CRLF (a bare LF in the size or in an
/// extension is refused, CVE-2025-55315 / CVE-2025-22871), the size is 1–16 hex digits without overflow, extensions
/// may not contain control bytes, chunk data must be followed by exactly CRLF, and trailer lines obey the header
/// grammar and budget. Extensions and trailers are validated and discarded.
/// </para>
/// </summary>
public struct ChunkedDecoder
{
    private enum State : byte
    {
        Size,
        Data,
        DataEnd,
        Trailer,
        Done,
    }

    private static readonly SearchValues<byte> s_invalidExtensionBytes = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127]);

    private State _state;
    private long _chunkRemaining;
    private int _trailerBytes;
    private int _trailerCount;
    private readonly int _maxLineBytes;

    /// <summary>Creates a decoder; <paramref name="maxLineBytes"/> caps the chunk-size line, the header limits cap trailers.</summary>
    public ChunkedDecoder(int maxLineBytes, int maxTrailerBytes, int maxTrailerCount)
    {
        _maxLineBytes = maxLineBytes;
        _trailerBytes = maxTrailerBytes;
        _trailerCount = maxTrailerCount;
    }

    /// <summary>True after the last chunk and the trailer section have been consumed.</summary>
    public readonly bool IsComplete => _state == State.Done;

    /// <summary>
    /// Consumes framing from <paramref name="reader"/> and returns the next run of body bytes in
    /// <paramref name="data"/> (a slice of the reader's sequence, valid until the caller advances the pipe).
    /// Returns <see langword="false"/> when more input is needed; framing already consumed stays consumed.
    /// Returns <see langword="true"/> with empty data when the body is complete. At most
    /// <paramref name="maxData"/> (&gt; 0) body bytes are returned.
    /// </summary>
    public bool TryRead(ref SequenceReader<byte> reader, long maxData, out ReadOnlySequence<byte> data)
    {
        data = default;
        while (true)
        {
            switch (_state)
            {
                case State.Size:
                    if (!TryReadSizeLine(ref reader))
                    {
                        return false;
                    }

                    _state = _chunkRemaining == 0 ? State.Trailer : State.Data;
                    continue;

                case State.Data:
                    if (reader.End)
                    {
                        return false;
                    }

                    long n = Math.Min(Math.Min(_chunkRemaining, reader.Remaining), maxData);
                    data = reader.UnreadSequence.Slice(0, n);
                    reader.Advance(n);
                    _chunkRemaining -= n;
                    if (_chunkRemaining == 0)
                    {
                        _state = State.DataEnd;
                    }

                    return true;

                case State.DataEnd:
                    if (reader.Remaining < 2)
                    {
                        if (reader.TryPeek(out byte first) && first != (byte)'\r')
                        {
                            BadHttpRequestException.Throw(RequestRejectionReason.InvalidChunkTerminator);
                        }

                        return false;
                    }

                    if (!reader.IsNext("\r\n"u8, advancePast: true))
                    {
                        BadHttpRequestException.Throw(RequestRejectionReason.InvalidChunkTerminator);
                    }

                    _state = State.Size;
                    continue;

                case State.Trailer:
                    if (!TryReadTrailerLine(ref reader))
                    {
                        return false;
                    }

                    continue;

                default:
                    return true;
            }
        }
    }

    private bool TryReadSizeLine(ref SequenceReader<byte> reader)
    {
        if (!HttpParser.TryFindLine(ref reader, _maxLineBytes, out ReadOnlySequence<byte> line))
        {
            if (reader.Remaining >= _maxLineBytes)
            {
                BadHttpRequestException.Throw(RequestRejectionReason.ChunkLineTooLong);
            }

            return false;
        }

        int length = (int)line.Length;
        Span<byte> copy = stackalloc byte[256];
        byte[]? rented = null;
        if (length > copy.Length)
        {
            copy = rented = ArrayPool<byte>.Shared.Rent(length);
        }

        try
        {
            line.CopyTo(copy);
            _chunkRemaining = ParseSizeLine(copy[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        reader.Advance(length);
        return true;
    }

    /// <summary>Parses <c>chunk-size [ chunk-ext ] CRLF</c> (with the LF) and returns the size.</summary>
    public static long ParseSizeLine(ReadOnlySpan<byte> line)
    {
        if (line.Length < 2 || line[^2] != (byte)'\r')
        {
            BadHttpRequestException.Throw(RequestRejectionReason.BareLineFeed);
        }

        line = line[..^2];
        long size = 0;
        int i = 0;
        for (; i < line.Length; i++)
        {
            int digit = HexValue(line[i]);
            if (digit < 0)
            {
                break;
            }

            if (size > (long.MaxValue >> 4))
            {
                BadHttpRequestException.Throw(RequestRejectionReason.InvalidChunkSize);
            }

            size = (size << 4) | (uint)digit;
        }

        if (i == 0)
        {
            BadHttpRequestException.Throw(RequestRejectionReason.InvalidChunkSize);
        }

        ReadOnlySpan<byte> ext = line[i..];
        if (!ext.IsEmpty)
        {
            // chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS value ] ); we only require it to start with ';' after
            // optional whitespace and to be free of control bytes (CR and LF included).
            ReadOnlySpan<byte> trimmed = ext.TrimStart(" \t"u8);
            if (trimmed.IsEmpty || trimmed[0] != (byte)';' || ext.IndexOfAny(s_invalidExtensionBytes) >= 0)
            {
                BadHttpRequestException.Throw(RequestRejectionReason.InvalidChunkSize);
            }
        }

        return size;
    }

    private bool TryReadTrailerLine(ref SequenceReader<byte> reader)
    {
        if (!HttpParser.TryFindLine(ref reader, _trailerBytes, out ReadOnlySequence<byte> line))
        {
            if (reader.Remaining >= _trailerBytes)
            {
                BadHttpRequestException.Throw(RequestRejectionReason.InvalidTrailer);
            }

            return false;
        }

        int length = (int)line.Length;
        _trailerBytes -= length;
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            line.CopyTo(rented);
            ReadOnlySpan<byte> span = rented.AsSpan(0, length);
            if (length < 2 || span[^2] != (byte)'\r')
            {
                BadHttpRequestException.Throw(RequestRejectionReason.BareLineFeed);
            }

            if (length == 2)
            {
                _state = State.Done;
            }
            else
            {
                if (--_trailerCount < 0)
                {
                    BadHttpRequestException.Throw(RequestRejectionReason.InvalidTrailer);
                }

                HttpParser.ParseHeaderLine(span[..^2], out _, out _);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        reader.Advance(length);
        return true;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
