using System.Buffers;
using System.Text;
using Alteran.Net.Http;
using BenchmarkDotNet.Attributes;

namespace Alteran.Benchmarks.Net;

/// <summary>Request-line + header parsing of a typical XRPC GET into the reusable request (target: 0 B allocated).</summary>
[MemoryDiagnoser]
public class HttpParserBenchmarks
{
    private static readonly byte[] s_typicalGet = Encoding.ASCII.GetBytes(
        "GET /xrpc/com.atproto.repo.getRecord?repo=did%3Aplc%3Aewvi7nxzyoun6zhxrhs64oiz&collection=app.bsky.feed.post&rkey=3jzfcijpj2z2a HTTP/1.1\r\n" +
        "Host: pds.example.com\r\n" +
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36\r\n" +
        "Accept: application/json\r\n" +
        "Accept-Encoding: gzip, deflate, br\r\n" +
        "Accept-Language: en-US,en;q=0.9\r\n" +
        "Authorization: Bearer eyJ0eXAiOiJhdCtqd3QiLCJhbGciOiJFUzI1NksifQ.eyJzY29wZSI6ImNvbS5hdHByb3RvLmFjY2VzcyIsInN1YiI6ImRpZDpwbGM6YWJjIn0.c2lnbmF0dXJl\r\n" +
        "atproto-accept-labelers: did:plc:ar7c4by46qjdydhdevvrndac;redact\r\n" +
        "Origin: https://bsky.app\r\n" +
        "Connection: keep-alive\r\n\r\n");

    private readonly HttpRequest _request = new();
    private ReadOnlySequence<byte> _single;
    private ReadOnlySequence<byte> _segmented;

    [GlobalSetup]
    public void Setup()
    {
        _single = new ReadOnlySequence<byte>(s_typicalGet);
        _segmented = Segments.Split(s_typicalGet, 64);
    }

    [Benchmark(Baseline = true)]
    public int TypicalXrpcGet() => Parse(_single);

    [Benchmark]
    public int TypicalXrpcGet64ByteSegments() => Parse(_segmented);

    private int Parse(ReadOnlySequence<byte> sequence)
    {
        _request.Reset();
        var handler = new HttpRequest.ParserHandler(_request);
        var reader = new SequenceReader<byte>(sequence);
        HttpParser.TryParseRequestLine(ref reader, ref handler, 8192);
        int bytes = 16 * 1024, count = 64;
        HttpParser.TryParseHeaders(ref reader, ref handler, ref bytes, ref count);
        _request.OnHeadersComplete();
        _request.TryGetHeader("authorization"u8, out ReadOnlySpan<byte> auth);
        return _request.HeaderCount + auth.Length;
    }
}

/// <summary>Builds multi-segment sequences for parser benchmarks.</summary>
internal static class Segments
{
    public static ReadOnlySequence<byte> Split(byte[] bytes, int size)
    {
        var first = new Segment(bytes.AsMemory(0, Math.Min(size, bytes.Length)), 0);
        Segment last = first;
        for (int i = size; i < bytes.Length; i += size)
        {
            var next = new Segment(bytes.AsMemory(i, Math.Min(size, bytes.Length - i)), i);
            last.SetNext(next);
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
