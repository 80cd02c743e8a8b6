using System.Net;
using Alteran.Net.Firehose;
using Alteran.Net.Hosting;
using Alteran.Net.Jetstream;
using Alteran.Net.Tests.Jetstream;
using Alteran.Net.Xrpc;
using Microsoft.Extensions.Configuration;

namespace Alteran.Net.Tests.Firehose;

/// <summary>Total and per-address subscriber caps shared by subscribeRepos and Jetstream's /subscribe.</summary>
public sealed class SubscriberCapTests
{
    private const string Upgrade = "Host: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private static async Task<RawResponse> TryUpgradeAsync(JetstreamFixture f, string path)
    {
        using RawClient raw = await f.Server.ConnectAsync();
        await raw.SendAsync($"GET {path} HTTP/1.1\r\n{Upgrade}");
        return await raw.ReadResponseAsync();
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++)
            await Task.Delay(25);
        Assert.True(condition());
    }

    [Fact]
    public async Task Per_address_cap_counts_both_endpoints_and_answers_429_with_an_xrpc_error()
    {
        await using var f = new JetstreamFixture(new FirehoseOptions { RingCapacity = 64, MaxSubscribersPerIp = 2, ExemptLoopbackFromPerIpCap = false });
        using FirehoseClient repos = new(await ConnectFirehoseAsync(f));
        using (JetstreamClient jet = await f.SubscribeAsync())
        {
            await WaitForAsync(() => f.Limiter.Count == 2);
            RawResponse refused = await TryUpgradeAsync(f, JetstreamSubscription.Path);
            Assert.Equal(429, refused.Status);
            Assert.Contains("\"error\":\"RateLimitExceeded\"", refused.Text);
            RawResponse refusedRepos = await TryUpgradeAsync(f, "/xrpc/" + FirehoseXrpc.Nsid);
            Assert.Equal(429, refusedRepos.Status);
        }
        // A slot frees when a subscriber leaves.
        await WaitForAsync(() => f.Limiter.Count == 1);
        using JetstreamClient again = await f.SubscribeAsync();
        await WaitForAsync(() => f.Limiter.Count == 2);
    }

    [Fact]
    public async Task Total_cap_answers_503_TooManySubscribers()
    {
        await using var f = new JetstreamFixture(new FirehoseOptions { RingCapacity = 64, MaxSubscribers = 1 });
        using JetstreamClient jet = await f.SubscribeAsync();
        await WaitForAsync(() => f.Limiter.Count == 1);
        RawResponse refused = await TryUpgradeAsync(f, "/xrpc/" + FirehoseXrpc.Nsid);
        Assert.Equal(503, refused.Status);
        Assert.Contains("\"error\":\"TooManySubscribers\"", refused.Text);
        Assert.Equal(503, (await TryUpgradeAsync(f, JetstreamSubscription.Path)).Status);
    }

    [Fact]
    public void Loopback_is_exempt_from_the_per_address_cap_by_default()
    {
        var limiter = new SubscriberLimiter(10, 1);
        limiter.Acquire(IPAddress.Loopback);
        limiter.Acquire(IPAddress.Loopback);
        limiter.Acquire(IPAddress.Parse("192.0.2.1"));
        XrpcException e = Assert.Throws<XrpcException>(() => limiter.Acquire(IPAddress.Parse("192.0.2.1")));
        Assert.Equal(429, e.StatusCode);
        limiter.Release(IPAddress.Parse("192.0.2.1"));
        limiter.Acquire(IPAddress.Parse("192.0.2.1"));
        Assert.Equal(3, limiter.Count);
    }

    [Fact]
    public void Caps_are_configurable()
    {
        var errors = new List<string>();
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PDS_FIREHOSE_MAX_SUBSCRIBERS"] = "20000",
            ["PDS_FIREHOSE_MAX_SUBSCRIBERS_PER_IP"] = "12000",
            ["ALTERAN_WEBSOCKET_MAX_PER_IP"] = "12000",
        }).Build();
        AlteranOptions o = AlteranOptionsLoader.Load(config, errors);
        Assert.Empty(errors);
        Assert.Equal(20000, o.FirehoseMaxSubscribers);
        Assert.Equal(12000, o.FirehoseMaxSubscribersPerIp);
        Assert.Equal(12000, ServerComposition.CreateServerOptions(o).WebSockets.MaxPerIp);

        IConfiguration bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PDS_FIREHOSE_MAX_SUBSCRIBERS"] = "0",
            ["PDS_FIREHOSE_MAX_SUBSCRIBERS_PER_IP"] = "many",
        }).Build();
        AlteranOptionsLoader.Load(bad, errors);
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("PDS_FIREHOSE_MAX_SUBSCRIBERS_PER_IP"));
    }

    private static async Task<System.Net.WebSockets.ClientWebSocket> ConnectFirehoseAsync(JetstreamFixture f)
    {
        var ws = new System.Net.WebSockets.ClientWebSocket();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{f.Server.Port}/xrpc/{FirehoseXrpc.Nsid}"), cts.Token);
        return ws;
    }
}
