using System.Buffers;
using System.Text;
using Alteran.Net.Http;

namespace Alteran.Net.Tests.Http;

public class HttpParserTests
{
    private static readonly HttpLimits Limits = new();

    internal static ReadOnlySequence<byte> Segmented(byte[] bytes, int segmentSize)
    {
        if (bytes.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        Segment first = new(bytes.AsMemory(0, Math.Min(segmentSize, bytes.Length)));
        Segment last = first;
        for (int i = segmentSize; i < bytes.Length; i += segmentSize)
        {
            last = last.Append(bytes.AsMemory(i, Math.Min(segmentSize, bytes.Length - i)));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    internal sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }

    /// <summary>Parses request line and headers from a sequence; returns null when incomplete.</summary>
    private static HttpRequest? Parse(ReadOnlySequence<byte> sequence, HttpLimits? limits = null)
    {
        limits ??= Limits;
        var request = new HttpRequest();
        var handler = new HttpRequest.ParserHandler(request);
        var reader = new SequenceReader<byte>(sequence);
        if (!HttpParser.TryParseRequestLine(ref reader, ref handler, limits.MaxRequestLineBytes))
        {
            return null;
        }

        int bytes = limits.MaxHeaderBytes, count = limits.MaxHeaderCount;
        if (!HttpParser.TryParseHeaders(ref reader, ref handler, ref bytes, ref count))
        {
            return null;
        }

        request.OnHeadersComplete();
        Assert.Equal(sequence.Length, reader.Consumed);
        return request;
    }

    private static HttpRequest? Parse(string text, HttpLimits? limits = null) => Parse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text)), limits);

    public static TheoryData<string> ValidRequests => new()
    {
        "GET /xrpc/com.atproto.repo.getRecord?repo=did%3Aplc%3Aabc&collection=app.bsky.feed.post&rkey=3k HTTP/1.1\r\nHost: pds.example\r\nAccept: application/json\r\nAuthorization: Bearer abc.def.ghi\r\n\r\n",
        "POST /xrpc/com.atproto.repo.createRecord HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n",
        "GET / HTTP/1.0\r\n\r\n",
        "POST /x HTTP/1.1\r\nhost: a\r\ntransfer-encoding: chunked\r\nX-Empty:\r\nX-Tab:\tv\t\r\n\r\n",
    };

    [Theory]
    [MemberData(nameof(ValidRequests))]
    public void EveryPrefixIsIncompleteAndTheWholeParses(string text)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        for (int i = 0; i < bytes.Length; i++)
        {
            Assert.Null(Parse(new ReadOnlySequence<byte>(bytes, 0, i)));
        }

        Assert.NotNull(Parse(new ReadOnlySequence<byte>(bytes)));
    }

    [Theory]
    [MemberData(nameof(ValidRequests))]
    public void OneBytePerSegmentGivesTheSameResult(string text)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        HttpRequest whole = Parse(new ReadOnlySequence<byte>(bytes))!;
        foreach (int size in new[] { 1, 2, 3, 7 })
        {
            HttpRequest split = Parse(Segmented(bytes, size))!;
            Assert.Equal(whole.Method, split.Method);
            Assert.Equal(whole.Path.ToArray(), split.Path.ToArray());
            Assert.Equal(whole.QueryString.ToArray(), split.QueryString.ToArray());
            Assert.Equal(whole.HeaderCount, split.HeaderCount);
            for (int i = 0; i < whole.HeaderCount; i++)
            {
                Assert.Equal(whole.GetHeaderName(i).ToArray(), split.GetHeaderName(i).ToArray());
                Assert.Equal(whole.GetHeaderValue(i).ToArray(), split.GetHeaderValue(i).ToArray());
            }
        }
    }

    [Fact]
    public void ParsesFieldsOfATypicalXrpcGet()
    {
        HttpRequest r = Parse("GET /xrpc/com.atproto.sync.getBlob?did=did:plc:x&cid=bafy HTTP/1.1\r\nHost: pds\r\nConnection: keep-alive\r\nX-Thing:   spaced value  \r\n\r\n")!;
        Assert.Equal(Alteran.Net.Http.HttpMethod.Get, r.Method);
        Assert.True(r.IsHttp11);
        Assert.True(r.KeepAlive);
        Assert.Equal("/xrpc/com.atproto.sync.getBlob", Encoding.ASCII.GetString(r.Path));
        Assert.Equal("did=did:plc:x&cid=bafy", Encoding.ASCII.GetString(r.QueryString));
        Assert.True(r.TryGetHeader("x-thing"u8, out ReadOnlySpan<byte> v));
        Assert.Equal("spaced value", Encoding.ASCII.GetString(v));
        Assert.Equal(-1, r.ContentLength);
        Assert.False(r.HasBody);
    }

    [Fact]
    public void Http10DefaultsToCloseAndHonoursKeepAlive()
    {
        Assert.False(Parse("GET / HTTP/1.0\r\n\r\n")!.KeepAlive);
        Assert.True(Parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")!.KeepAlive);
        Assert.False(Parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")!.KeepAlive);
    }

    [Fact]
    public void RecognisesWebSocketUpgrade()
    {
        HttpRequest r = Parse("GET /xrpc/x HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n\r\n")!;
        Assert.True(r.IsWebSocketUpgrade);
    }

    public static TheoryData<string, RequestRejectionReason> Malformed => new()
    {
        { "GET / HTTP/1.1\nHost: a\r\n\r\n", RequestRejectionReason.BareLineFeed },
        { "GET / HTTP/1.1\r\nHost: a\n\r\n", RequestRejectionReason.BareLineFeed },
        { "GET / HTTP/1.1\r\nHost: a\r\n\n", RequestRejectionReason.BareLineFeed },
        { "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n", RequestRejectionReason.ObsoleteLineFolding },
        { "GET / HTTP/1.1\r\n Host: a\r\n\r\n", RequestRejectionReason.ObsoleteLineFolding },
        { "GET / HTTP/1.1\r\nHost : a\r\n\r\n", RequestRejectionReason.InvalidRequestHeader },
        { "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", RequestRejectionReason.InvalidRequestHeader },
        { "GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n", RequestRejectionReason.InvalidRequestHeader },
        { "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", RequestRejectionReason.InvalidRequestHeader },
        { "GET / HTTP/1.1\r\nHost: a\r\n: empty\r\n\r\n", RequestRejectionReason.InvalidRequestHeader },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", RequestRejectionReason.ContentLengthWithTransferEncoding },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", RequestRejectionReason.ContentLengthWithTransferEncoding },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", RequestRejectionReason.DuplicateContentLength },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n", RequestRejectionReason.InvalidContentLength },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n", RequestRejectionReason.InvalidContentLength },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", RequestRejectionReason.InvalidContentLength },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 05\r\n\r\n", RequestRejectionReason.InvalidContentLength },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\n", RequestRejectionReason.InvalidContentLength },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n", RequestRejectionReason.InvalidContentLength },
        { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", RequestRejectionReason.InvalidContentLength },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", RequestRejectionReason.UnsupportedTransferEncoding },
        { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", RequestRejectionReason.InvalidTransferEncoding },
        { "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", RequestRejectionReason.InvalidTransferEncoding },
        { "GET / HTTP/1.1\r\n\r\n", RequestRejectionReason.InvalidHost },
        { "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", RequestRejectionReason.InvalidHost },
        { "GET / HTTP/2.0\r\nHost: a\r\n\r\n", RequestRejectionReason.UnsupportedHttpVersion },
        { "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", RequestRejectionReason.InvalidRequestLine },
        { "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", RequestRejectionReason.InvalidRequestLine },
        { "GET /\r\nHost: a\r\n\r\n", RequestRejectionReason.InvalidRequestLine },
        { "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", RequestRejectionReason.InvalidRequestLine },
        { "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", RequestRejectionReason.InvalidRequestLine },
        { "GET http://evil/ HTTP/1.1\r\nHost: a\r\n\r\n", RequestRejectionReason.InvalidRequestTarget },
        { "GET * HTTP/1.1\r\nHost: a\r\n\r\n", RequestRejectionReason.InvalidRequestTarget },
        { "GET /a#frag HTTP/1.1\r\nHost: a\r\n\r\n", RequestRejectionReason.InvalidRequestTarget },
        { "GET /a\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n", RequestRejectionReason.InvalidRequestTarget },
        { "GET / HTTP/1.1\r\nHost: a\r\nExpect: something\r\n\r\n", RequestRejectionReason.UnsupportedExpectation },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void RejectsMalformedRequests(string text, RequestRejectionReason reason)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(text);
        foreach (int size in new[] { bytes.Length, 1 })
        {
            var ex = Assert.Throws<BadHttpRequestException>(() => Parse(Segmented(bytes, size)));
            Assert.Equal(reason, ex.Reason);
        }
    }

    [Fact]
    public void RequestLineLimitAppliesWithAndWithoutTheLineFeed()
    {
        var limits = new HttpLimits { MaxRequestLineBytes = 64 };
        string longTarget = "/" + new string('a', 100);
        var ex = Assert.Throws<BadHttpRequestException>(() => Parse($"GET {longTarget} HTTP/1.1\r\nHost: a\r\n\r\n", limits));
        Assert.Equal(414, ex.StatusCode);
        ex = Assert.Throws<BadHttpRequestException>(() => Parse($"GET {longTarget}", limits));
        Assert.Equal(414, ex.StatusCode);
        Assert.Null(Parse("GET /" + new string('a', 40), limits));
    }

    [Fact]
    public void HeaderCountAndSizeLimits()
    {
        var limits = new HttpLimits { MaxHeaderCount = 4, MaxHeaderBytes = 200 };
        var sb = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 4; i++)
        {
            sb.Append("X").Append(i).Append(": v\r\n");
        }

        var ex = Assert.Throws<BadHttpRequestException>(() => Parse(sb.Append("\r\n").ToString(), limits));
        Assert.Equal(RequestRejectionReason.TooManyHeaders, ex.Reason);
        Assert.Equal(431, ex.StatusCode);

        ex = Assert.Throws<BadHttpRequestException>(() => Parse("GET / HTTP/1.1\r\nHost: a\r\nX: " + new string('v', 300) + "\r\n\r\n", limits));
        Assert.Equal(RequestRejectionReason.HeadersTooLarge, ex.Reason);

        // No line feed yet but already over budget: rejected before the line completes.
        ex = Assert.Throws<BadHttpRequestException>(() => Parse("GET / HTTP/1.1\r\nHost: a\r\nX: " + new string('v', 300), limits));
        Assert.Equal(RequestRejectionReason.HeadersTooLarge, ex.Reason);
    }

    [Fact]
    public void ManyHeadersWithinLimitsAreAllKept()
    {
        var sb = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 63; i++)
        {
            sb.Append("X-").Append(i).Append(": ").Append(i).Append("\r\n");
        }

        HttpRequest r = Parse(Segmented(Encoding.ASCII.GetBytes(sb.Append("\r\n").ToString()), 5))!;
        Assert.Equal(64, r.HeaderCount);
        Assert.True(r.TryGetHeader("x-62"u8, out ReadOnlySpan<byte> v));
        Assert.Equal("62"u8.ToArray(), v.ToArray());
    }
}
