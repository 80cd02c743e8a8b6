using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Alteran.Net.Http;

/// <summary>
/// The request broke HTTP/1.1 framing or a limit. The connection answers with <see cref="StatusCode"/> and closes:
/// after a framing error nothing later on the connection can be trusted.
/// </summary>
public sealed class BadHttpRequestException : Exception
{
    private BadHttpRequestException(RequestRejectionReason reason, int statusCode, string message)
        : base(message)
    {
        Reason = reason;
        StatusCode = statusCode;
    }

    /// <summary>What was wrong.</summary>
    public RequestRejectionReason Reason { get; }

    /// <summary>Status code to answer with.</summary>
    public int StatusCode { get; }

    /// <summary>Throws the exception for <paramref name="reason"/>.</summary>
    [DoesNotReturn]
    [StackTraceHidden]
    public static void Throw(RequestRejectionReason reason) => throw Create(reason);

    /// <summary>Builds the exception for <paramref name="reason"/> (kept out of line so callers stay small).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static BadHttpRequestException Create(RequestRejectionReason reason) => reason switch
    {
        RequestRejectionReason.RequestLineTooLong => new(reason, 414, "Request line too long"),
        RequestRejectionReason.HeadersTooLarge => new(reason, 431, "Request header block too large"),
        RequestRejectionReason.TooManyHeaders => new(reason, 431, "Too many request headers"),
        RequestRejectionReason.UnsupportedHttpVersion => new(reason, 505, "HTTP version not supported"),
        RequestRejectionReason.UnsupportedTransferEncoding => new(reason, 501, "Transfer-Encoding not supported"),
        RequestRejectionReason.BodyTooLarge => new(reason, 413, "Request body too large"),
        RequestRejectionReason.UnsupportedExpectation => new(reason, 417, "Expectation not supported"),
        RequestRejectionReason.HeadersTimeout => new(reason, 408, "Request headers not received in time"),
        RequestRejectionReason.BodyTimeout => new(reason, 408, "Request body arrived too slowly"),
        RequestRejectionReason.InvalidRequestLine => new(reason, 400, "Malformed request line"),
        RequestRejectionReason.InvalidRequestTarget => new(reason, 400, "Malformed request target"),
        RequestRejectionReason.InvalidRequestHeader => new(reason, 400, "Malformed request header"),
        RequestRejectionReason.ObsoleteLineFolding => new(reason, 400, "Obsolete line folding is not allowed"),
        RequestRejectionReason.BareLineFeed => new(reason, 400, "Line ended without CR"),
        RequestRejectionReason.InvalidHost => new(reason, 400, "Exactly one Host header is required"),
        RequestRejectionReason.InvalidContentLength => new(reason, 400, "Malformed Content-Length"),
        RequestRejectionReason.DuplicateContentLength => new(reason, 400, "Duplicate Content-Length"),
        RequestRejectionReason.ContentLengthWithTransferEncoding => new(reason, 400, "Content-Length with Transfer-Encoding"),
        RequestRejectionReason.InvalidTransferEncoding => new(reason, 400, "Invalid Transfer-Encoding"),
        RequestRejectionReason.InvalidChunkSize => new(reason, 400, "Malformed chunk size line"),
        RequestRejectionReason.InvalidChunkTerminator => new(reason, 400, "Chunk data not followed by CRLF"),
        RequestRejectionReason.ChunkLineTooLong => new(reason, 400, "Chunk size line too long"),
        RequestRejectionReason.InvalidTrailer => new(reason, 400, "Malformed trailer section"),
        RequestRejectionReason.UnexpectedEndOfBody => new(reason, 400, "Connection closed before the body ended"),
        _ => new(reason, 400, "Bad request"),
    };
}
