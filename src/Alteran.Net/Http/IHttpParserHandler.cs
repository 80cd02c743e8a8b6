namespace Alteran.Net.Http;

/// <summary>
/// Receives what <see cref="HttpParser"/> finds. Implemented by a struct wrapping the request so the generic parser
/// calls it directly (STYLE habit 3). Spans are only valid during the call.
/// </summary>
public interface IHttpParserHandler
{
    /// <summary>The request line: method, origin-form target split into path and query (without '?'), and version.</summary>
    void OnRequestLine(HttpMethod method, ReadOnlySpan<byte> path, ReadOnlySpan<byte> query, bool http11);

    /// <summary>One header field with surrounding whitespace trimmed from the value.</summary>
    void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);
}
