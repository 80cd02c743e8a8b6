using System.Buffers.Binary;
using System.Text;
using System.Threading.Channels;
using Alteran.Net.Tests.Http;
using Alteran.Net.WebSockets;
using Alteran.Net.Xrpc;

namespace Alteran.Net.Tests.WebSockets;

/// <summary>WebSocket handshake and framing over real sockets.</summary>
public class WebSocketServerTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    private static string Upgrade(string path, string key = Key, string version = "13")
        => $"GET {path} HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: {version}\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n";

    private sealed class Probe
    {
        public readonly Channel<string> Messages = Channel.CreateUnbounded<string>();
        public readonly TaskCompletionSource<Exception?> SendResult = new();
        public volatile bool SawPendingSend;
    }

    private static void Routes(XrpcRouter router, Probe probe)
    {
        HttpServerTests.TestRoutes(router);
        router.MapSubscription("com.example.subscribe", async ctx =>
        {
            ctx.Request.Query.TryGetInt64("n"u8, out long n);
            WebSocketConnection ws = await ctx.AcceptWebSocketAsync();
            ws.MessageReceived = (opcode, data) => probe.Messages.Writer.TryWrite(opcode + ":" + Encoding.UTF8.GetString(data.Span));
            int[] sizes = [0, 5, 125, 126, 300, 65535, 65536, 70000];
            for (int i = 0; i < n; i++)
            {
                byte[] payload = new byte[sizes[i % sizes.Length]];
                payload.AsSpan().Fill((byte)i);
                await ws.SendBinaryAsync(payload);
            }

            while (await probe.Messages.Reader.WaitToReadAsync(ws.Closed).AsTask().ContinueWith(t => !t.IsCanceled && !t.IsFaulted && t.Result))
            {
                if (probe.Messages.Reader.TryPeek(out string? m) && m.StartsWith("Text:echo "))
                {
                    probe.Messages.Reader.TryRead(out _);
                    await ws.SendTextAsync(Encoding.UTF8.GetBytes(m[5..]));
                }
                else
                {
                    await Task.Delay(10);
                }
            }

            await ws.Completion;
        });
        router.MapSubscription("com.example.oversized", async ctx =>
        {
            WebSocketConnection ws = await ctx.AcceptWebSocketAsync();
            try
            {
                await ws.SendBinaryAsync(new byte[2001]);
            }
            catch (ArgumentException)
            {
                await ws.SendTextAsync("refused"u8.ToArray());
            }

            await ws.Completion;
        });
        router.MapSubscription("com.example.flood", async ctx =>
        {
            WebSocketConnection ws = await ctx.AcceptWebSocketAsync();
            byte[] frame = new byte[1 << 20];
            try
            {
                for (int i = 0; i < 1000; i++)
                {
                    ValueTask send = ws.SendBinaryAsync(frame);
                    if (!send.IsCompleted && ws.PendingSends > 0)
                    {
                        probe.SawPendingSend = true;
                    }

                    await send;
                }

                probe.SendResult.TrySetResult(null);
            }
            catch (Exception ex)
            {
                probe.SendResult.TrySetResult(ex);
            }
        });
    }

    private static TestServer Start(Probe probe, Action<Alteran.Net.Http.HttpServerOptions>? configure = null)
        => new(r => Routes(r, probe), o =>
        {
            o.WebSockets.MaxInboundMessageBytes = 1000;
            configure?.Invoke(o);
        });

    private static async Task<RawClient> HandshakeAsync(TestServer server, string path)
    {
        RawClient client = await server.ConnectAsync();
        await client.SendAsync(Upgrade(path));
        RawResponse r = await client.ReadResponseAsync(head: true);
        Assert.Equal(101, r.Status);
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", r.Headers["Sec-WebSocket-Accept"]);
        Assert.Equal("websocket", r.Headers["Upgrade"]);
        Assert.False(r.Headers.ContainsKey("Sec-WebSocket-Extensions")); // permessage-deflate is never negotiated
        return client;
    }

    private static async Task<(byte First, byte[] Payload)> ReadFrameAsync(RawClient client)
    {
        byte[] head = await client.ReadExactlyAsync(2);
        Assert.Equal(0, head[1] & 0x80); // server frames unmasked
        long len = head[1] & 0x7F;
        if (len == 126)
        {
            len = BinaryPrimitives.ReadUInt16BigEndian(await client.ReadExactlyAsync(2));
        }
        else if (len == 127)
        {
            len = (long)BinaryPrimitives.ReadUInt64BigEndian(await client.ReadExactlyAsync(8));
        }

        return (head[0], await client.ReadExactlyAsync((int)len));
    }

    private static byte[] Close(int code, string reason = "")
    {
        byte[] payload = new byte[2 + Encoding.UTF8.GetByteCount(reason)];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code);
        Encoding.UTF8.GetBytes(reason, payload.AsSpan(2));
        return WebSocketFrameTests.ClientFrame(0x88, payload);
    }

    private static async Task AssertClosedWithAsync(RawClient client, WebSocketCloseStatus status)
    {
        while (true)
        {
            (byte first, byte[] payload) = await ReadFrameAsync(client);
            if ((first & 0x0F) == 0x8)
            {
                Assert.Equal((int)status, BinaryPrimitives.ReadUInt16BigEndian(payload));
                break;
            }
        }

        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task HandshakeServerFramesAndCloseHandshake()
    {
        var probe = new Probe();
        await using TestServer server = Start(probe);
        using RawClient client = await HandshakeAsync(server, "/xrpc/com.example.subscribe?n=8");
        int[] sizes = [0, 5, 125, 126, 300, 65535, 65536, 70000];
        for (int i = 0; i < 8; i++)
        {
            (byte first, byte[] payload) = await ReadFrameAsync(client);
            Assert.Equal(0x82, first);
            Assert.Equal(sizes[i], payload.Length);
            Assert.All(payload, b => Assert.Equal((byte)i, b));
        }

        await client.SendAsync(Close(1000, "bye"));
        await AssertClosedWithAsync(client, WebSocketCloseStatus.NormalClosure);
    }

    [Fact]
    public async Task PingIsAnsweredAndFragmentedMessagesReassembled()
    {
        var probe = new Probe();
        await using TestServer server = Start(probe);
        using RawClient client = await HandshakeAsync(server, "/xrpc/com.example.subscribe?n=0");
        await client.SendAsync(WebSocketFrameTests.ClientFrame(0x89, "hi"u8.ToArray()));
        (byte first, byte[] payload) = await ReadFrameAsync(client);
        Assert.Equal(0x8A, first);
        Assert.Equal("hi", Encoding.ASCII.GetString(payload));

        // "echo héllo" in three fragments with a ping between them, and a different mask per frame.
        byte[] text = Encoding.UTF8.GetBytes("echo héllo");
        await client.SendAsync([
            .. WebSocketFrameTests.ClientFrame(0x01, text[..3], mask: [1, 2, 3, 4]),
            .. WebSocketFrameTests.ClientFrame(0x89, [], mask: [9, 9, 9, 9]),
            .. WebSocketFrameTests.ClientFrame(0x00, text[3..7], mask: [5, 6, 7, 8]),
            .. WebSocketFrameTests.ClientFrame(0x80, text[7..], mask: [0xAA, 0xBB, 0xCC, 0xDD]),
        ]);
        Assert.Equal(0x8A, (await ReadFrameAsync(client)).First);
        (first, payload) = await ReadFrameAsync(client);
        Assert.Equal(0x81, first);
        Assert.Equal("echo héllo", Encoding.UTF8.GetString(payload));
        await client.SendAsync(Close(1000));
        await AssertClosedWithAsync(client, WebSocketCloseStatus.NormalClosure);
    }

    public static TheoryData<byte[], WebSocketCloseStatus> Violations => new()
    {
        { [0x82, 0x02, 1, 2], WebSocketCloseStatus.ProtocolError },                                  // unmasked
        { WebSocketFrameTests.ClientFrame(0xC2, [1]), WebSocketCloseStatus.ProtocolError },          // RSV1
        { WebSocketFrameTests.ClientFrame(0x83, [1]), WebSocketCloseStatus.ProtocolError },          // reserved opcode
        { WebSocketFrameTests.ClientFrame(0x80, [1]), WebSocketCloseStatus.ProtocolError },          // continuation without start
        { WebSocketFrameTests.ClientFrame(0x82, new byte[1001]), WebSocketCloseStatus.MessageTooBig },
        { [.. WebSocketFrameTests.ClientFrame(0x02, new byte[600]), .. WebSocketFrameTests.ClientFrame(0x80, new byte[600])], WebSocketCloseStatus.MessageTooBig },
        { [.. WebSocketFrameTests.ClientFrame(0x02, [1]), .. WebSocketFrameTests.ClientFrame(0x82, [1])], WebSocketCloseStatus.ProtocolError },
        { WebSocketFrameTests.ClientFrame(0x81, [0xC3, 0x28]), WebSocketCloseStatus.InvalidPayloadData },
        { WebSocketFrameTests.ClientFrame(0x88, [0x03]), WebSocketCloseStatus.ProtocolError },       // close payload of 1 byte
        { Close(1005), WebSocketCloseStatus.ProtocolError },
        { Close(999), WebSocketCloseStatus.ProtocolError },
        { WebSocketFrameTests.ClientFrame(0x88, [0x03, 0xE8, 0xFF]), WebSocketCloseStatus.InvalidPayloadData },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task ViolationsCloseWithTheRightCode(byte[] frames, WebSocketCloseStatus expected)
    {
        var probe = new Probe();
        await using TestServer server = Start(probe);
        using RawClient client = await HandshakeAsync(server, "/xrpc/com.example.subscribe?n=0");
        await client.SendAsync(frames);
        await AssertClosedWithAsync(client, expected);
    }

    [Fact]
    public async Task OutboundFrameLimitRefusesTheSend()
    {
        var probe = new Probe();
        await using TestServer server = Start(probe, o => o.WebSockets.MaxOutboundMessageBytes = 2000);
        using RawClient client = await HandshakeAsync(server, "/xrpc/com.example.oversized");
        (byte first, byte[] payload) = await ReadFrameAsync(client);
        Assert.Equal(0x81, first);
        Assert.Equal("refused", Encoding.ASCII.GetString(payload));
        await client.SendAsync(Close(1000));
        await AssertClosedWithAsync(client, WebSocketCloseStatus.NormalClosure);
    }

    [Fact]
    public async Task PerIpWebSocketCap()
    {
        var probe = new Probe();
        await using TestServer server = Start(probe, o => o.WebSockets.MaxPerIp = 2);
        RawClient a = await HandshakeAsync(server, "/xrpc/com.example.subscribe?n=0");
        using RawClient b = await HandshakeAsync(server, "/xrpc/com.example.subscribe?n=0");
        using (RawClient c = await server.ConnectAsync())
        {
            await c.SendAsync(Upgrade("/xrpc/com.example.subscribe?n=0"));
            RawResponse r = await c.ReadResponseAsync();
            Assert.Equal(429, r.Status);
            Assert.Contains("RateLimitExceeded", r.Text);
        }

        // Closing one frees its slot.
        await a.SendAsync(Close(1000));
        await AssertClosedWithAsync(a, WebSocketCloseStatus.NormalClosure);
        a.Dispose();
        for (int i = 0; i < 100 && server.Server.ConnectionCount > 1; i++)
        {
            await Task.Delay(50);
        }

        using RawClient d = await HandshakeAsync(server, "/xrpc/com.example.subscribe?n=0");
    }

    [Fact]
    public async Task BadHandshakes()
    {
        var probe = new Probe();
        await using TestServer server = Start(probe);
        using (RawClient client = await server.ConnectAsync())
        {
            await client.SendAsync(Upgrade("/xrpc/com.example.subscribe", version: "8"));
            RawResponse r = await client.ReadResponseAsync();
            Assert.Equal(426, r.Status);
            Assert.Equal("13", r.Headers["Sec-WebSocket-Version"]);
        }

        using (RawClient client = await server.ConnectAsync())
        {
            await client.SendAsync(Upgrade("/xrpc/com.example.subscribe", key: "short"));
            Assert.Equal(400, (await client.ReadResponseAsync()).Status);
        }

        using (RawClient client = await server.ConnectAsync())
        {
            await client.SendAsync("GET /xrpc/com.example.subscribe HTTP/1.1\r\nHost: t\r\n\r\n");
            Assert.Equal(400, (await client.ReadResponseAsync()).Status);
        }
    }

    [Fact]
    public async Task IdlePingAndPongDeadline()
    {
        var probe = new Probe();
        await using TestServer server = Start(probe, o =>
        {
            o.WebSockets.PingInterval = TimeSpan.FromMilliseconds(200);
            o.WebSockets.PongTimeout = TimeSpan.FromMilliseconds(400);
        });
        using RawClient client = await HandshakeAsync(server, "/xrpc/com.example.subscribe?n=0");
        (byte first, _) = await ReadFrameAsync(client);
        Assert.Equal(0x89, first);
        await client.SendAsync(WebSocketFrameTests.ClientFrame(0x8A, []));
        (first, _) = await ReadFrameAsync(client); // answered: after another idle interval, another ping
        Assert.Equal(0x89, first);
        Assert.True(await client.IsClosedByServerAsync()); // this one is not answered: aborted
    }

    [Fact]
    public async Task StalledConsumerIsVisibleAndAbortedBySendTimeout()
    {
        var probe = new Probe();
        await using TestServer server = Start(probe, o => o.Limits.SendTimeout = TimeSpan.FromMilliseconds(500));
        using RawClient client = await HandshakeAsync(server, "/xrpc/com.example.flood");
        // Never read: the kernel buffers fill and sends stall.
        Exception? error = await probe.SendResult.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.NotNull(error);
        Assert.True(probe.SawPendingSend);
    }

    [Fact]
    public async Task ShutdownSendsGoingAway()
    {
        var probe = new Probe();
        await using TestServer server = Start(probe);
        using RawClient client = await HandshakeAsync(server, "/xrpc/com.example.subscribe?n=0");
        Task stop = server.Server.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        (byte first, byte[] payload) = await ReadFrameAsync(client);
        Assert.Equal(0x88, first);
        Assert.Equal(1001, BinaryPrimitives.ReadUInt16BigEndian(payload));
        await client.SendAsync(Close(1001));
        Assert.True(await client.IsClosedByServerAsync());
        await stop.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
