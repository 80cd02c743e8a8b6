using System.Text;
using System.Text.Json;
using Alteran.Net.Http;
using Alteran.Net.Xrpc;

namespace Alteran.Net.Tests.Http;

/// <summary>Real sockets on 127.0.0.1: keep-alive, pipelining, bodies, limits, timeouts, XRPC edges.</summary>
public class HttpServerTests
{
    internal static void TestRoutes(XrpcRouter router)
    {
        router.MapProcedure("com.example.echo", async ctx =>
        {
            ReadOnlyMemory<byte> body = await ctx.ReadBodyAsync();
            ctx.Response.WriteBody(body.Span, "application/octet-stream"u8);
        }, maxBodyBytes: 64 * 1024);
        router.MapProcedure("com.example.streamEcho", async ctx =>
        {
            // Streams the request body back as a chunked response, reading and writing in small pieces.
            ResponseBodyWriter writer = ctx.Response.StartBody("application/octet-stream"u8);
            byte[] buffer = new byte[1000];
            int n;
            while ((n = await ctx.ReadBodyAsync(buffer)) > 0)
            {
                await writer.WriteAsync(buffer.AsMemory(0, n));
            }

            await writer.CompleteAsync();
        }, maxBodyBytes: 10 * 1024 * 1024);
        router.MapProcedure("com.example.sha256", async ctx =>
        {
            // Streams the body through a Stream consumer, as a blob upload would.
            byte[] hash = await System.Security.Cryptography.SHA256.HashDataAsync(ctx.BodyStream);
            ctx.Response.WriteBody(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(hash)), "text/plain"u8);
        }, maxBodyBytes: 1024 * 1024);
        router.MapProcedure("com.example.ignore", ctx =>
        {
            ctx.Response.WriteBody("ignored"u8, "text/plain"u8);
            return ValueTask.CompletedTask;
        });
        router.MapQuery("com.example.hello", ctx =>
        {
            string name = ctx.Request.Query.GetString("name"u8) ?? "nobody";
            ctx.Response.WriteJson(name, static (w, n) =>
            {
                w.WriteStartObject();
                w.WriteString("hello", n);
                w.WriteEndObject();
            });
            return ValueTask.CompletedTask;
        });
        router.MapQuery("com.example.big", async ctx =>
        {
            ctx.Request.Query.TryGetInt64("n"u8, out long n);
            ResponseBodyWriter writer = ctx.Response.StartBody("application/octet-stream"u8, n);
            byte[] block = new byte[8192];
            for (long sent = 0; sent < n; sent += block.Length)
            {
                int size = (int)Math.Min(block.Length, n - sent);
                for (int i = 0; i < size; i++)
                {
                    block[i] = (byte)((sent + i) % 251);
                }

                await writer.WriteAsync(block.AsMemory(0, size));
            }

            await writer.CompleteAsync();
        });
        router.MapQuery("com.example.fail", _ => throw new InvalidOperationException("secret detail"));
        router.MapQuery("com.example.xrpcFail", _ => throw new XrpcException(400, "RecordNotFound", "No such record"));
    }

    private static string Get(string path, string extra = "") => $"GET {path} HTTP/1.1\r\nHost: test\r\n{extra}\r\n";

    [Fact]
    public async Task HealthAndKeepAlive()
    {
        await using var server = new TestServer(TestRoutes);
        using RawClient client = await server.ConnectAsync();
        ulong previous = 0;
        for (int i = 0; i < 3; i++)
        {
            await client.SendAsync(Get("/xrpc/_health"));
            RawResponse r = await client.ReadResponseAsync();
            Assert.Equal(200, r.Status);
            Assert.StartsWith("application/json", r.Headers["Content-Type"]);
            using JsonDocument doc = JsonDocument.Parse(r.Body);
            Assert.True(doc.RootElement.TryGetProperty("version", out _));
            ulong id = Convert.ToUInt64(r.Headers["X-Request-Id"], 16);
            Assert.True(id > previous);
            previous = id;
        }

        Assert.Equal(1, server.Server.ConnectionCount);
    }

    [Fact]
    public async Task PipelinedRequestsAnswerInOrder()
    {
        await using var server = new TestServer(TestRoutes);
        using RawClient client = await server.ConnectAsync();
        await client.SendAsync(
            Get("/xrpc/com.example.hello?name=a") +
            "POST /xrpc/com.example.echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello" +
            Get("/xrpc/com.example.hello?name=b%20c") +
            "HEAD /xrpc/com.example.hello?name=d HTTP/1.1\r\nHost: t\r\n\r\n" +
            Get("/health"));
        Assert.Equal("{\"hello\":\"a\"}", (await client.ReadResponseAsync()).Text);
        Assert.Equal("hello", (await client.ReadResponseAsync()).Text);
        Assert.Equal("{\"hello\":\"b c\"}", (await client.ReadResponseAsync()).Text);
        RawResponse head = await client.ReadResponseAsync(head: true);
        Assert.Equal("13", head.Headers["Content-Length"]);
        Assert.Equal("{\"status\":\"ok\"}", (await client.ReadResponseAsync()).Text);
    }

    [Fact]
    public async Task JsonResponsesKeepNonAsciiTextUnescaped()
    {
        await using var server = new TestServer(TestRoutes);
        using RawClient client = await server.ConnectAsync();
        await client.SendAsync(Get("/xrpc/com.example.hello?name=caf%C3%A9%20%F0%9F%A6%8B%20%22q%22"));
        RawResponse r = await client.ReadResponseAsync();
        // Emoji (outside the BMP) are still escaped by System.Text.Json's relaxed encoder; 'é' is not.
        Assert.Equal("{\"hello\":\"café \\uD83E\\uDD8B \\\"q\\\"\"}", r.Text);
        Assert.Equal("café 🦋 \"q\"", JsonDocument.Parse(r.Body).RootElement.GetProperty("hello").GetString());
    }

    [Fact]
    public async Task ContentLengthBodyInPieces()
    {
        await using var server = new TestServer(TestRoutes);
        using RawClient client = await server.ConnectAsync();
        byte[] body = new byte[40_000];
        Random.Shared.NextBytes(body);
        await client.SendAsync($"POST /xrpc/com.example.echo HTTP/1.1\r\nHost: t\r\nContent-Length: {body.Length}\r\n\r\n");
        for (int i = 0; i < body.Length; i += 7000)
        {
            await client.SendAsync(body[i..Math.Min(body.Length, i + 7000)]);
        }

        RawResponse r = await client.ReadResponseAsync();
        Assert.Equal(200, r.Status);
        Assert.Equal(body, r.Body);
    }

    [Fact]
    public async Task ChunkedRequestAndStreamedChunkedResponse()
    {
        await using var server = new TestServer(TestRoutes);
        using RawClient client = await server.ConnectAsync();
        byte[] payload = new byte[100_000];
        Random.Shared.NextBytes(payload);
        var sb = new MemoryStream();
        sb.Write("POST /xrpc/com.example.streamEcho HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"u8);
        for (int i = 0; i < payload.Length; i += 9999)
        {
            int n = Math.Min(9999, payload.Length - i);
            sb.Write(Encoding.ASCII.GetBytes($"{n:x};note=1\r\n"));
            sb.Write(payload, i, n);
            sb.Write("\r\n"u8);
        }

        sb.Write("0\r\nX-Trailer: 1\r\n\r\n"u8);
        byte[] request = sb.ToArray();
        for (int i = 0; i < request.Length; i += 4096)
        {
            await client.SendAsync(request[i..Math.Min(request.Length, i + 4096)]);
        }

        RawResponse r = await client.ReadResponseAsync();
        Assert.Equal("chunked", r.Headers["Transfer-Encoding"]);
        Assert.Equal(payload, r.Body);

        // The connection is still usable.
        await client.SendAsync(Get("/health"));
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);
    }

    [Fact]
    public async Task Http10StreamedResponseIsDelimitedByClose()
    {
        await using var server = new TestServer(TestRoutes);
        using RawClient client = await server.ConnectAsync();
        await client.SendAsync("POST /xrpc/com.example.streamEcho HTTP/1.0\r\nContent-Length: 5\r\n\r\nhello");
        RawResponse r = await client.ReadResponseAsync(head: true);
        Assert.Equal(200, r.Status);
        Assert.False(r.Headers.ContainsKey("Transfer-Encoding"));
        Assert.Equal("close", r.Headers["Connection"]);
        Assert.Equal("hello", Encoding.ASCII.GetString(await client.ReadToEndAsync()));
    }

    [Fact]
    public async Task LargeStreamedResponseWithContentLength()
    {
        await using var server = new TestServer(TestRoutes);
        using RawClient client = await server.ConnectAsync();
        await client.SendAsync(Get("/xrpc/com.example.big?n=1000000"));
        RawResponse r = await client.ReadResponseAsync();
        Assert.Equal(1_000_000, r.Body.Length);
        for (int i = 0; i < r.Body.Length; i += 4999)
        {
            Assert.Equal((byte)(i % 251), r.Body[i]);
        }
    }

    [Fact]
    public async Task BodyStreamFeedsStreamConsumersAndEnforcesTheRouteLimit()
    {
        await using var server = new TestServer(TestRoutes);
        byte[] body = new byte[300_000];
        Random.Shared.NextBytes(body);
        using (RawClient client = await server.ConnectAsync())
        {
            await client.SendAsync($"POST /xrpc/com.example.sha256 HTTP/1.1\r\nHost: t\r\nContent-Length: {body.Length}\r\n\r\n");
            await client.SendAsync(body);
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body)), (await client.ReadResponseAsync()).Text);
        }

        using (RawClient client = await server.ConnectAsync())
        {
            // Chunked, so the limit can only be found while streaming: 413 and close.
            await client.SendAsync("POST /xrpc/com.example.sha256 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
            byte[] chunk = Encoding.ASCII.GetBytes("10000\r\n" + new string('z', 0x10000) + "\r\n");
            RawResponse? r = null;
            try
            {
                for (int i = 0; i < 20; i++)
                {
                    await client.SendAsync(chunk);
                }
            }
            catch (IOException)
            {
                // The server may close while we are still sending.
            }

            r = await client.ReadResponseAsync();
            Assert.Equal(413, r.Status);
        }
    }

    [Fact]
    public async Task ExpectContinue()
    {
        await using var server = new TestServer(TestRoutes);
        using RawClient client = await server.ConnectAsync();
        await client.SendAsync("POST /xrpc/com.example.echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
        Assert.Equal("HTTP/1.1 100 Continue", await client.ReadLineAsync());
        Assert.Equal("", await client.ReadLineAsync());
        await client.SendAsync("abc");
        RawResponse r = await client.ReadResponseAsync();
        Assert.Equal("abc", r.Text);
    }

    [Fact]
    public async Task ExpectContinueRejectedByLimitWithoutReadingBody()
    {
        await using var server = new TestServer(TestRoutes);
        using RawClient client = await server.ConnectAsync();
        await client.SendAsync("POST /xrpc/com.example.echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 100000\r\n\r\n");
        RawResponse r = await client.ReadResponseAsync();
        Assert.Equal(413, r.Status);
        Assert.Contains("PayloadTooLarge", r.Text);
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task UnreadSmallBodyIsDrainedAndConnectionReused()
    {
        await using var server = new TestServer(TestRoutes);
        using RawClient client = await server.ConnectAsync();
        await client.SendAsync("POST /xrpc/com.example.ignore HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n0123456789" + Get("/health"));
        Assert.Equal("ignored", (await client.ReadResponseAsync()).Text);
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);
    }

    [Fact]
    public async Task ChunkedBodyOverRouteLimitIs413AndClosed()
    {
        await using var server = new TestServer(TestRoutes);
        using RawClient client = await server.ConnectAsync();
        var sb = new StringBuilder("POST /xrpc/com.example.echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 70; i++)
        {
            sb.Append("400\r\n").Append('x', 1024).Append("\r\n");
        }

        await client.SendAsync(sb.ToString());
        RawResponse r = await client.ReadResponseAsync();
        Assert.Equal(413, r.Status);
        Assert.True(await client.IsClosedByServerAsync());
    }

    public static TheoryData<string, int> SmugglingAttempts => new()
    {
        { "POST /xrpc/com.example.echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400 },
        { "POST /xrpc/com.example.echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde", 400 },
        { "POST /xrpc/com.example.echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3;x\nabc\r\n0\r\n\r\n", 400 },
        { "POST /xrpc/com.example.echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n", 400 },
        { "POST /xrpc/com.example.echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n", 400 },
        { "GET /health HTTP/1.1\r\nHost: t\r\nX: a\r\n b\r\n\r\n", 400 },
        { "GET /health HTTP/1.1\nHost: t\n\n", 400 },
        { "POST /xrpc/com.example.echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: identity\r\n\r\n", 501 },
        { "GET /health HTTP/3.0\r\nHost: t\r\n\r\n", 505 },
    };

    [Theory]
    [MemberData(nameof(SmugglingAttempts))]
    public async Task SmugglingAttemptsAreRejectedAndTheConnectionClosed(string request, int status)
    {
        await using var server = new TestServer(TestRoutes);
        using RawClient client = await server.ConnectAsync();
        // A second request rides behind the bad one: it must never be answered.
        await client.SendAsync(request + Get("/health"));
        RawResponse r = await client.ReadResponseAsync();
        Assert.Equal(status, r.Status);
        Assert.Equal("close", r.Headers["Connection"]);
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task RequestLineAndHeaderLimits()
    {
        await using var server = new TestServer(TestRoutes, o =>
        {
            o.Limits.MaxRequestLineBytes = 1024;
            o.Limits.MaxHeaderCount = 8;
            o.Limits.MaxHeaderBytes = 2048;
        });
        using (RawClient client = await server.ConnectAsync())
        {
            await client.SendAsync(Get("/xrpc/com.example.hello?name=" + new string('a', 2000)));
            Assert.Equal(414, (await client.ReadResponseAsync()).Status);
            Assert.True(await client.IsClosedByServerAsync());
        }

        using (RawClient client = await server.ConnectAsync())
        {
            await client.SendAsync(Get("/health", string.Concat(Enumerable.Range(0, 10).Select(i => $"X-{i}: v\r\n"))));
            Assert.Equal(431, (await client.ReadResponseAsync()).Status);
            Assert.True(await client.IsClosedByServerAsync());
        }

        using (RawClient client = await server.ConnectAsync())
        {
            await client.SendAsync(Get("/health", "X-Big: " + new string('b', 3000) + "\r\n"));
            Assert.Equal(431, (await client.ReadResponseAsync()).Status);
            Assert.True(await client.IsClosedByServerAsync());
        }
    }

    [Fact]
    public async Task HeaderTimeoutAnswers408()
    {
        await using var server = new TestServer(TestRoutes, o => o.Limits.HeaderTimeout = TimeSpan.FromMilliseconds(300));
        using RawClient client = await server.ConnectAsync();
        await client.SendAsync("GET /health HTTP/1.1\r\nHost: t\r\n");
        RawResponse r = await client.ReadResponseAsync();
        Assert.Equal(408, r.Status);
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task IdleKeepAliveConnectionIsClosed()
    {
        await using var server = new TestServer(TestRoutes, o => o.Limits.KeepAliveTimeout = TimeSpan.FromMilliseconds(300));
        using RawClient client = await server.ConnectAsync();
        await client.SendAsync(Get("/health"));
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task SlowBodyBelowMinimumRateAnswers408()
    {
        await using var server = new TestServer(TestRoutes, o =>
        {
            o.Limits.MinBodyRateGrace = TimeSpan.FromMilliseconds(200);
            o.Limits.MinBodyBytesPerSecond = 1000;
        });
        using RawClient client = await server.ConnectAsync();
        await client.SendAsync("POST /xrpc/com.example.echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\nab");
        RawResponse r = await client.ReadResponseAsync();
        Assert.Equal(408, r.Status);
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task PerIpAndGlobalConnectionCaps()
    {
        await using var server = new TestServer(TestRoutes, o => o.Limits.MaxConnectionsPerIp = 2);
        using RawClient a = await server.ConnectAsync();
        using RawClient b = await server.ConnectAsync();
        await a.SendAsync(Get("/health"));
        await b.SendAsync(Get("/health"));
        await a.ReadResponseAsync();
        await b.ReadResponseAsync();
        using RawClient c = await server.ConnectAsync();
        RawResponse r = await c.ReadResponseAsync();
        Assert.Equal(503, r.Status);
        Assert.True(await c.IsClosedByServerAsync());

        // Loopback exempt (the default, for a local reverse proxy): the per-IP cap does not apply, the global cap does.
        await using var server3 = new TestServer(TestRoutes, o =>
        {
            o.Limits.MaxConnectionsPerIp = 1;
            o.Limits.MaxConnections = 3;
            o.Limits.ExemptLoopbackFromPerIpCap = true;
        });
        var open = new List<RawClient>();
        for (int i = 0; i < 3; i++)
        {
            RawClient x = await server3.ConnectAsync();
            open.Add(x);
            await x.SendAsync(Get("/health"));
            Assert.Equal(200, (await x.ReadResponseAsync()).Status);
        }

        using (RawClient over = await server3.ConnectAsync())
        {
            Assert.Equal(503, (await over.ReadResponseAsync()).Status);
        }

        open.ForEach(x => x.Dispose());

        await using var server2 = new TestServer(TestRoutes, o => o.Limits.MaxConnections = 1);
        using RawClient d = await server2.ConnectAsync();
        await d.SendAsync(Get("/health"));
        await d.ReadResponseAsync();
        using RawClient e = await server2.ConnectAsync();
        Assert.Equal(503, (await e.ReadResponseAsync()).Status);
    }

    [Fact]
    public async Task XrpcErrorsAndUnknownMethods()
    {
        await using var server = new TestServer(TestRoutes);
        using RawClient client = await server.ConnectAsync();

        await client.SendAsync(Get("/xrpc/com.example.nope"));
        RawResponse r = await client.ReadResponseAsync();
        Assert.Equal(404, r.Status);
        Assert.Equal("MethodNotImplemented", JsonDocument.Parse(r.Body).RootElement.GetProperty("error").GetString());

        await client.SendAsync("POST /xrpc/com.example.hello HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
        r = await client.ReadResponseAsync();
        Assert.Equal(405, r.Status);
        Assert.Equal("GET, HEAD, OPTIONS", r.Headers["Allow"]);

        await client.SendAsync(Get("/xrpc/com.example.xrpcFail"));
        r = await client.ReadResponseAsync();
        Assert.Equal(400, r.Status);
        Assert.Equal("{\"error\":\"RecordNotFound\",\"message\":\"No such record\"}", r.Text);

        await client.SendAsync(Get("/xrpc/com.example.hello?name=%zz"));
        r = await client.ReadResponseAsync();
        Assert.Equal(400, r.Status);
        Assert.Contains("InvalidRequest", r.Text);

        await client.SendAsync(Get("/nowhere"));
        Assert.Equal(404, (await client.ReadResponseAsync()).Status);

        await client.SendAsync(Get("/xrpc/com.example.fail"));
        r = await client.ReadResponseAsync();
        Assert.Equal(500, r.Status);
        Assert.DoesNotContain("secret", r.Text);
        Assert.Contains("InternalServerError", r.Text);
    }

    [Fact]
    public async Task CorsAllowListAndPreflight()
    {
        await using var server = new TestServer(TestRoutes, cors: new CorsPolicy(["https://bsky.app"]));
        using RawClient client = await server.ConnectAsync();
        await client.SendAsync(Get("/xrpc/_health", "Origin: https://bsky.app\r\n"));
        RawResponse r = await client.ReadResponseAsync();
        Assert.Equal("https://bsky.app", r.Headers["Access-Control-Allow-Origin"]);

        await client.SendAsync(Get("/xrpc/_health", "Origin: https://evil.example\r\n"));
        r = await client.ReadResponseAsync();
        Assert.False(r.Headers.ContainsKey("Access-Control-Allow-Origin"));

        await client.SendAsync("OPTIONS /xrpc/com.example.echo HTTP/1.1\r\nHost: t\r\nOrigin: https://bsky.app\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: authorization, content-type\r\n\r\n");
        r = await client.ReadResponseAsync();
        Assert.Equal(204, r.Status);
        Assert.Equal("https://bsky.app", r.Headers["Access-Control-Allow-Origin"]);
        Assert.Contains("POST", r.Headers["Access-Control-Allow-Methods"]);
        Assert.Equal("authorization, content-type", r.Headers["Access-Control-Allow-Headers"]);
    }

    private sealed class Flag(bool ready) : IReadinessCheck
    {
        public bool Ready { get; set; } = ready;

        public string Name => "storage";

        public bool IsReady() => Ready;
    }

    [Fact]
    public async Task ReadyReflectsChecks()
    {
        await using var server = new TestServer(TestRoutes);
        var flag = new Flag(true);
        server.Readiness.Add(flag);
        using RawClient client = await server.ConnectAsync();
        await client.SendAsync(Get("/ready"));
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);
        flag.Ready = false;
        await client.SendAsync(Get("/ready"));
        RawResponse r = await client.ReadResponseAsync();
        Assert.Equal(503, r.Status);
        Assert.Contains("storage", r.Text);
    }

    [Fact]
    public async Task GracefulShutdownDrainsInFlightRequests()
    {
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        await using var server = new TestServer(r =>
        {
            TestRoutes(r);
            r.MapQuery("com.example.slow", async ctx =>
            {
                started.TrySetResult();
                await release.Task;
                ctx.Response.WriteBody("done"u8, "text/plain"u8);
            });
        });
        using RawClient idle = await server.ConnectAsync();
        await idle.SendAsync(Get("/health"));
        await idle.ReadResponseAsync();
        using RawClient busy = await server.ConnectAsync();
        await busy.SendAsync(Get("/xrpc/com.example.slow"));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Task stop = server.Server.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.True(await idle.IsClosedByServerAsync());
        Assert.False(stop.IsCompleted);
        release.SetResult();
        RawResponse r = await busy.ReadResponseAsync();
        Assert.Equal("done", r.Text);
        Assert.Equal("close", r.Headers["Connection"]);
        Assert.True(await busy.IsClosedByServerAsync());
        await stop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, server.Server.ConnectionCount);
    }
}
