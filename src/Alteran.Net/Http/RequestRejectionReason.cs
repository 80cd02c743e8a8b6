namespace Alteran.Net.Http;

/// <summary>Why the HTTP layer refused a request. Each reason maps to one status code in <see cref="BadHttpRequestException"/>.</summary>
public enum RequestRejectionReason
{
    /// <summary>Request line is not <c>method SP origin-form SP HTTP-version CRLF</c>.</summary>
    InvalidRequestLine,
    /// <summary>Request line longer than the limit.</summary>
    RequestLineTooLong,
    /// <summary>Only origin-form targets (<c>/path?query</c>) are served.</summary>
    InvalidRequestTarget,
    /// <summary>Protocol version other than HTTP/1.0 or HTTP/1.1.</summary>
    UnsupportedHttpVersion,
    /// <summary>Malformed header field line.</summary>
    InvalidRequestHeader,
    /// <summary>Header line starting with whitespace (obsolete line folding).</summary>
    ObsoleteLineFolding,
    /// <summary>Header block longer than the limit.</summary>
    HeadersTooLarge,
    /// <summary>More header fields than the limit.</summary>
    TooManyHeaders,
    /// <summary>Line ended by LF without CR.</summary>
    BareLineFeed,
    /// <summary>HTTP/1.1 request without exactly one Host header.</summary>
    InvalidHost,
    /// <summary>Content-Length that is not a canonical decimal number.</summary>
    InvalidContentLength,
    /// <summary>Content-Length given more than once.</summary>
    DuplicateContentLength,
    /// <summary>Content-Length and Transfer-Encoding together.</summary>
    ContentLengthWithTransferEncoding,
    /// <summary>Transfer-Encoding other than a single <c>chunked</c>.</summary>
    UnsupportedTransferEncoding,
    /// <summary>Transfer-Encoding given more than once, or on HTTP/1.0.</summary>
    InvalidTransferEncoding,
    /// <summary>Chunk-size line is malformed (non-hex, overflow, bad extension, missing CRLF).</summary>
    InvalidChunkSize,
    /// <summary>Chunk data not followed by CRLF.</summary>
    InvalidChunkTerminator,
    /// <summary>Chunk-size line longer than the limit.</summary>
    ChunkLineTooLong,
    /// <summary>Malformed trailer section.</summary>
    InvalidTrailer,
    /// <summary>Body larger than the route allows.</summary>
    BodyTooLarge,
    /// <summary>Connection closed before the body ended.</summary>
    UnexpectedEndOfBody,
    /// <summary>Expectation other than 100-continue.</summary>
    UnsupportedExpectation,
    /// <summary>Header block not received within the header timeout.</summary>
    HeadersTimeout,
    /// <summary>Body arrived slower than the minimum data rate.</summary>
    BodyTimeout,
}
