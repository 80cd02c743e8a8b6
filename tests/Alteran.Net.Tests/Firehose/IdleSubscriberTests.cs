using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Alteran.Net.Firehose;
using Alteran.Net.Tests.Jetstream;
using Xunit.Abstractions;

namespace Alteran.Net.Tests.Firehose;

/// <summary>
/// Idle (caught-up) subscribers: no periodic wake-up is needed for a closed one to end, and each costs little memory.
/// </summary>
[Collection(MemoryMeasurement.Name)]
public sealed class IdleSubscriberTests(ITestOutputHelper output)
{
    // A gap-check period far beyond the test: nothing periodic can be what ends the closed subscriber.
    private static FirehoseOptions NoTicks => new()
    {
        RingCapacity = 64,
        TickInterval = TimeSpan.FromHours(1),
        GapTimeout = TimeSpan.FromHours(1),
        MaxSubscribers = 100_000,
    };

    private static async Task WaitForAsync(Func<bool> condition, int maxMs = 10_000)
    {
        var sw = Stopwatch.StartNew();
        while (!condition() && sw.ElapsedMilliseconds < maxMs)
            await Task.Delay(20);
        Assert.True(condition());
    }

    [Fact]
    public async Task A_closed_idle_subscriber_ends_without_any_event_or_tick()
    {
        await using var f = new JetstreamFixture(NoTicks);
        var repos = new ClientWebSocket();
        await repos.ConnectAsync(new Uri($"ws://127.0.0.1:{f.Server.Port}/xrpc/{FirehoseXrpc.Nsid}"), CancellationToken.None);
        using JetstreamClient jet = await f.SubscribeAsync();
        await WaitForAsync(() => f.Firehose.SubscriberCount == 1 && f.Jetstream.SubscriberCount == 1);

        await repos.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await WaitForAsync(() => f.Firehose.SubscriberCount == 0);
        await jet.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await WaitForAsync(() => f.Jetstream.SubscriberCount == 0 && f.Limiter.Count == 0);
        repos.Dispose();
    }

    [Fact]
    public async Task Caught_up_subscribers_cost_a_few_KiB_each()
    {
        const int count = 500;
        await using var f = new JetstreamFixture(NoTicks, configure: o =>
        {
            o.Limits.MaxConnections = 10_000;
            o.Limits.ExemptLoopbackFromPerIpCap = true;
        });
        var sockets = new List<Socket>(count * 2);
        try
        {
            await Connect(f, 8, sockets); // warm-up: code paths, pools
            await WaitForAsync(() => f.Firehose.SubscriberCount == 8);
            long before = GC.GetTotalMemory(forceFullCollection: true);
            await Connect(f, count, sockets);
            await WaitForAsync(() => f.Firehose.SubscriberCount == 8 + count);
            await Task.Delay(200);
            long after = GC.GetTotalMemory(forceFullCollection: true);
            long perSubscriber = (after - before) / count;
            output.WriteLine($"managed heap per idle subscribeRepos subscriber: {perSubscriber} B (client socket included)");
            // Generous: catches a per-subscriber buffer or timer creeping back (the figure is about 6 KiB).
            Assert.InRange(perSubscriber, 1, 16 * 1024);
        }
        finally
        {
            foreach (Socket s in sockets)
                s.Dispose();
        }
    }

    private static async Task Connect(JetstreamFixture f, int count, List<Socket> sockets)
    {
        byte[] request = Encoding.ASCII.GetBytes($"GET /xrpc/{FirehoseXrpc.Nsid} HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        var response = new byte[512];
        for (int i = 0; i < count; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            sockets.Add(socket);
            await socket.ConnectAsync(IPAddress.Loopback, f.Server.Port);
            await socket.SendAsync(request);
            int n = await socket.ReceiveAsync(response, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.StartsWith("HTTP/1.1 101", Encoding.ASCII.GetString(response, 0, n));
        }
    }
}
