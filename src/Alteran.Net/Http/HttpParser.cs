using System.Buffers;
using System.Runtime.CompilerServices;

namespace Alteran.Net.Http;

/// <summary>
/// Zero-copy HTTP/1.1 request-line and header parser over <see cref="SequenceReader{T}"/> (STYLE habits 1–3).
/// <para>
/// Each <c>TryParse…</c> returns <see langword="false"/> when the input is incomplete, leaving the reader after the
/// last complete element, and throws <see cref="BadHttpRequestException"/> when the bytes are malformed or a limit
/// is broken. Lines are searched in the current span first; a line that straddles segments is copied to a pooled
/// buffer. The grammar is strict where lenience has caused request smuggling: every line must end in CRLF (bare LF
/// is rejected), obs-fold is rejected, no whitespace between a field name and its colon, no control characters in
/// values, origin-form targets only.
/// </para>
/// </summary>
public static class HttpParser
{
    // tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    private static readonly SearchValues<byte> s_tchar = SearchValues.Create(
        "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    // Field values: VCHAR, obs-text, SP and HTAB; every other control byte (including CR, LF, NUL, DEL) is refused.
    private static readonly SearchValues<byte> s_invalidValueBytes = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127]);

    private const int StackCopyLimit = 256;

    /// <summary>Parses the request line if it is complete.</summary>
    public static bool TryParseRequestLine<THandler>(ref SequenceReader<byte> reader, ref THandler handler, int maxLength)
        where THandler : struct, IHttpParserHandler
    {
        ReadOnlySpan<byte> span = reader.UnreadSpan;
        int lf = span.IndexOf((byte)'\n');
        if (lf >= 0)
        {
            if (lf + 1 > maxLength)
            {
                BadHttpRequestException.Throw(RequestRejectionReason.RequestLineTooLong);
            }

            ParseRequestLine(span[..(lf + 1)], ref handler);
            reader.Advance(lf + 1);
            return true;
        }

        return TryParseRequestLineMultiSegment(ref reader, ref handler, maxLength);
    }

    private static bool TryParseRequestLineMultiSegment<THandler>(ref SequenceReader<byte> reader, ref THandler handler, int maxLength)
        where THandler : struct, IHttpParserHandler
    {
        if (!TryFindLine(ref reader, maxLength, out ReadOnlySequence<byte> line))
        {
            if (reader.Remaining >= maxLength)
            {
                BadHttpRequestException.Throw(RequestRejectionReason.RequestLineTooLong);
            }

            return false;
        }

        int length = (int)line.Length;
        byte[]? rented = null;
        Span<byte> copy = length <= StackCopyLimit
            ? stackalloc byte[StackCopyLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            line.CopyTo(copy);
            ParseRequestLine(copy[..length], ref handler);
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

    private static void ParseRequestLine<THandler>(ReadOnlySpan<byte> line, ref THandler handler)
        where THandler : struct, IHttpParserHandler
    {
        // line includes the final LF.
        if (line.Length < 2 || line[^2] != (byte)'\r')
        {
            BadHttpRequestException.Throw(RequestRejectionReason.BareLineFeed);
        }

        line = line[..^2];
        int sp = line.IndexOf((byte)' ');
        if (sp <= 0 || line[..sp].IndexOfAnyExcept(s_tchar) >= 0)
        {
            BadHttpRequestException.Throw(RequestRejectionReason.InvalidRequestLine);
        }

        HttpMethod method = GetKnownMethod(line[..sp]);
        ReadOnlySpan<byte> rest = line[(sp + 1)..];
        int sp2 = rest.IndexOf((byte)' ');
        if (sp2 <= 0)
        {
            BadHttpRequestException.Throw(RequestRejectionReason.InvalidRequestLine);
        }

        ReadOnlySpan<byte> target = rest[..sp2];
        ReadOnlySpan<byte> version = rest[(sp2 + 1)..];
        bool http11 = ParseVersion(version);

        // Origin-form only: "/" then visible ASCII, no fragment. Absolute-form, authority-form and "*" are refused.
        if (target[0] != (byte)'/' || target.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) >= 0 || target.Contains((byte)'#'))
        {
            BadHttpRequestException.Throw(RequestRejectionReason.InvalidRequestTarget);
        }

        int q = target.IndexOf((byte)'?');
        if (q < 0)
        {
            handler.OnRequestLine(method, target, default, http11);
        }
        else
        {
            handler.OnRequestLine(method, target[..q], target[(q + 1)..], http11);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ParseVersion(ReadOnlySpan<byte> version)
    {
        if (version.Length == 8 && version.StartsWith("HTTP/1."u8))
        {
            if (version[7] == (byte)'1')
            {
                return true;
            }

            if (version[7] == (byte)'0')
            {
                return false;
            }
        }

        if (version.Length == 8 && version.StartsWith("HTTP/"u8) && char.IsAsciiDigit((char)version[5])
            && version[6] == (byte)'.' && char.IsAsciiDigit((char)version[7]))
        {
            BadHttpRequestException.Throw(RequestRejectionReason.UnsupportedHttpVersion);
        }

        BadHttpRequestException.Throw(RequestRejectionReason.InvalidRequestLine);
        return false;
    }

    /// <summary>Maps a method token to <see cref="HttpMethod"/> (case-sensitive, as methods are).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static HttpMethod GetKnownMethod(ReadOnlySpan<byte> token)
    {
        switch (token.Length)
        {
            case 3:
                if (token.SequenceEqual("GET"u8)) return HttpMethod.Get;
                if (token.SequenceEqual("PUT"u8)) return HttpMethod.Put;
                break;
            case 4:
                if (token.SequenceEqual("POST"u8)) return HttpMethod.Post;
                if (token.SequenceEqual("HEAD"u8)) return HttpMethod.Head;
                break;
            case 5:
                if (token.SequenceEqual("PATCH"u8)) return HttpMethod.Patch;
                break;
            case 6:
                if (token.SequenceEqual("DELETE"u8)) return HttpMethod.Delete;
                break;
            case 7:
                if (token.SequenceEqual("OPTIONS"u8)) return HttpMethod.Options;
                break;
        }

        return HttpMethod.Other;
    }

    /// <summary>
    /// Parses header lines until the empty line that ends the block. <paramref name="remainingBytes"/> and
    /// <paramref name="remainingCount"/> are budgets kept by the caller across calls (a block may arrive in pieces).
    /// Returns <see langword="true"/> once the final CRLF has been consumed.
    /// </summary>
    public static bool TryParseHeaders<THandler>(ref SequenceReader<byte> reader, ref THandler handler, ref int remainingBytes, ref int remainingCount)
        where THandler : struct, IHttpParserHandler
    {
        while (true)
        {
            ReadOnlySpan<byte> span = reader.UnreadSpan;
            int lf = span.IndexOf((byte)'\n');
            bool done;
            if (lf >= 0)
            {
                done = ConsumeHeaderLine(span[..(lf + 1)], ref handler, ref remainingBytes, ref remainingCount);
                reader.Advance(lf + 1);
            }
            else
            {
                if (!TryFindLine(ref reader, remainingBytes, out ReadOnlySequence<byte> line))
                {
                    if (reader.Remaining >= remainingBytes)
                    {
                        BadHttpRequestException.Throw(RequestRejectionReason.HeadersTooLarge);
                    }

                    return false;
                }

                done = ConsumeMultiSegmentLine(line, ref handler, ref remainingBytes, ref remainingCount);
                reader.Advance(line.Length);
            }

            if (done)
            {
                return true;
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool ConsumeMultiSegmentLine<THandler>(ReadOnlySequence<byte> line, ref THandler handler, ref int remainingBytes, ref int remainingCount)
        where THandler : struct, IHttpParserHandler
    {
        int length = (int)line.Length;
        byte[]? rented = null;
        Span<byte> copy = length <= StackCopyLimit
            ? stackalloc byte[StackCopyLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            line.CopyTo(copy);
            return ConsumeHeaderLine(copy[..length], ref handler, ref remainingBytes, ref remainingCount);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Validates one header line (with its CRLF); returns true if it was the empty line ending the block.</summary>
    private static bool ConsumeHeaderLine<THandler>(ReadOnlySpan<byte> line, ref THandler handler, ref int remainingBytes, ref int remainingCount)
        where THandler : struct, IHttpParserHandler
    {
        if (line.Length > remainingBytes)
        {
            BadHttpRequestException.Throw(RequestRejectionReason.HeadersTooLarge);
        }

        remainingBytes -= line.Length;
        if (line.Length < 2 || line[^2] != (byte)'\r')
        {
            BadHttpRequestException.Throw(RequestRejectionReason.BareLineFeed);
        }

        if (line.Length == 2)
        {
            return true;
        }

        if (--remainingCount < 0)
        {
            BadHttpRequestException.Throw(RequestRejectionReason.TooManyHeaders);
        }

        ParseHeaderLine(line[..^2], out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value);
        handler.OnHeader(name, value);
        return false;
    }

    /// <summary>Splits and validates <c>name ":" OWS value OWS</c> (line without CRLF).</summary>
    public static void ParseHeaderLine(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        if (line[0] is (byte)' ' or (byte)'\t')
        {
            BadHttpRequestException.Throw(RequestRejectionReason.ObsoleteLineFolding);
        }

        int colon = line.IndexOf((byte)':');
        if (colon <= 0 || line[..colon].IndexOfAnyExcept(s_tchar) >= 0)
        {
            BadHttpRequestException.Throw(RequestRejectionReason.InvalidRequestHeader);
        }

        name = line[..colon];
        value = line[(colon + 1)..].Trim(" \t"u8);
        if (value.IndexOfAny(s_invalidValueBytes) >= 0)
        {
            BadHttpRequestException.Throw(RequestRejectionReason.InvalidRequestHeader);
        }
    }

    /// <summary>True when <paramref name="token"/> is a non-empty RFC 9110 token.</summary>
    public static bool IsToken(ReadOnlySpan<byte> token) => !token.IsEmpty && token.IndexOfAnyExcept(s_tchar) < 0;

    /// <summary>
    /// Finds the next LF within <paramref name="maxLength"/> bytes of the reader's unread data and returns the line
    /// including it; false when no LF is there yet.
    /// </summary>
    internal static bool TryFindLine(ref SequenceReader<byte> reader, int maxLength, out ReadOnlySequence<byte> line)
    {
        ReadOnlySequence<byte> rest = reader.UnreadSequence;
        ReadOnlySequence<byte> window = rest.Length > maxLength ? rest.Slice(0, maxLength) : rest;
        SequencePosition? lf = window.PositionOf((byte)'\n');
        if (lf is null)
        {
            line = default;
            return false;
        }

        line = rest.Slice(0, rest.GetPosition(1, lf.Value));
        return true;
    }
}
