using System.Buffers;
using System.Text;
using Alteran.Net.Http;
using Alteran.Net.WebSockets;

namespace Alteran.Net.Tests.Http;

/// <summary>
/// Seeded random mutations of valid input: the parsers may accept or reject, but must only ever throw their own
/// exception type (never IndexOutOfRange, overflow, or a hang).
/// </summary>
public class MutationTests
{
    private static readonly byte[][] Seeds =
    [
        Encoding.ASCII.GetBytes("GET /xrpc/com.atproto.repo.getRecord?repo=did%3Aplc%3Aabc HTTP/1.1\r\nHost: pds\r\nAuthorization: Bearer x.y.z\r\nConnection: keep-alive\r\n\r\n"),
        Encoding.ASCII.GetBytes("POST /xrpc/com.atproto.repo.createRecord HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\nExpect: 100-continue\r\n\r\n"),
        Encoding.ASCII.GetBytes("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"),
    ];

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var bytes = new List<byte>(seed);
        int edits = random.Next(1, 5);
        ReadOnlySpan<byte> interesting = " \t\r\n:;%+0-9aF\0\x7f\xff"u8;
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] = interesting[random.Next(interesting.Length)];
                    break;
                case 1:
                    bytes.Insert(at, interesting[random.Next(interesting.Length)]);
                    break;
                case 2:
                    bytes.RemoveAt(at);
                    break;
                default:
                    bytes[at] = (byte)random.Next(256);
                    break;
            }
        }

        return [.. bytes];
    }

    [Fact]
    public void RequestParserOnlyThrowsBadRequest()
    {
        var random = new Random(6455);
        int accepted = 0, rejected = 0;
        for (int i = 0; i < 20_000; i++)
        {
            byte[] input = Mutate(random, Seeds[i % Seeds.Length]);
            var request = new HttpRequest();
            var handler = new HttpRequest.ParserHandler(request);
            var reader = new SequenceReader<byte>(HttpParserTests.Segmented(input, 1 + (i % 9)));
            try
            {
                int bytes = 16 * 1024, count = 64;
                if (HttpParser.TryParseRequestLine(ref reader, ref handler, 8192)
                    && HttpParser.TryParseHeaders(ref reader, ref handler, ref bytes, ref count))
                {
                    request.OnHeadersComplete();
                    accepted++;
                }
            }
            catch (BadHttpRequestException)
            {
                rejected++;
            }
        }

        Assert.True(accepted > 0 && rejected > 0);
    }

    [Fact]
    public void ChunkedDecoderOnlyThrowsBadRequest()
    {
        var random = new Random(9112);
        byte[] seed = Encoding.ASCII.GetBytes("5\r\nhello\r\n1a;x=y\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nT: v\r\n\r\n");
        int complete = 0, rejected = 0;
        for (int i = 0; i < 20_000; i++)
        {
            byte[] input = Mutate(random, seed);
            var decoder = new ChunkedDecoder(64, 256, 4);
            var reader = new SequenceReader<byte>(HttpParserTests.Segmented(input, 1 + (i % 7)));
            try
            {
                int guard = 0;
                while (!decoder.IsComplete && decoder.TryRead(ref reader, 5, out _))
                {
                    Assert.True(++guard < 10_000);
                }

                complete += decoder.IsComplete ? 1 : 0;
            }
            catch (BadHttpRequestException)
            {
                rejected++;
            }
        }

        Assert.True(complete > 0 && rejected > 0);
    }

    [Fact]
    public void FrameHeaderReaderOnlyThrowsProtocolErrors()
    {
        var random = new Random(1006);
        byte[] header = new byte[14];
        int ok = 0, rejected = 0;
        for (int i = 0; i < 50_000; i++)
        {
            random.NextBytes(header);
            int length = random.Next(0, 15);
            try
            {
                var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(header, 0, length));
                if (WebSocketFrameReader.TryReadHeader(ref reader, out WebSocketFrameHeader h))
                {
                    Assert.True(h.PayloadLength >= 0 && h.HeaderLength <= length);
                    ok++;
                }
            }
            catch (WebSocketProtocolException)
            {
                rejected++;
            }
        }

        Assert.True(ok > 0 && rejected > 0);
    }

    [Fact]
    public async Task ServerSurvivesMutatedRequestsOnRealSockets()
    {
        await using var server = new TestServer(HttpServerTests.TestRoutes, o =>
        {
            o.Limits.HeaderTimeout = TimeSpan.FromMilliseconds(300);
            o.Limits.KeepAliveTimeout = TimeSpan.FromMilliseconds(300);
            o.Limits.MaxConnectionsPerIp = 1000;
        });
        var random = new Random(2583);
        var statuses = new HashSet<int>();
        for (int i = 0; i < 150; i++)
        {
            using RawClient client = await server.ConnectAsync();
            await client.SendAsync(Mutate(random, Seeds[i % Seeds.Length]));
            try
            {
                statuses.Add((await client.ReadResponseAsync()).Status);
            }
            catch (Exception ex) when (ex is EndOfStreamException or IOException or FormatException or IndexOutOfRangeException or ArgumentException)
            {
                // Closed without a response (e.g. truncated request) or a mutated status line we cannot parse.
            }
        }

        Assert.Contains(400, statuses);
        using RawClient healthy = await server.ConnectAsync();
        await healthy.SendAsync("GET /xrpc/_health HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal(200, (await healthy.ReadResponseAsync()).Status);
    }
}
