using System.Net;
using System.Text.Json;
using Alteran.Net.Hosting;
using Alteran.Net.Http;
using Alteran.Net.Tests.Auth;
using Alteran.Net.Xrpc;
using Microsoft.Extensions.Logging.Abstractions;

namespace Alteran.Net.Tests.Xrpc;

public sealed class RateLimitTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 5, 0, TimeSpan.Zero); // on a 5-minute (so also minute) boundary

    /// <summary>A real server (ServerComposition) with a query, a login procedure and a subscription registered by the test.</summary>
    private sealed class Host : IAsyncDisposable
    {
        private readonly HttpServer _server;

        public Host(RateLimitOptions limits, ManualTimeProvider time)
        {
            var router = new XrpcRouter();
            BuiltInRoutes.Register(router, []);
            router.MapQuery("com.example.ping", static c =>
            {
                c.Response.WriteJson(new HealthResponse("pong"), XrpcJsonContext.Default.HealthResponse);
                return ValueTask.CompletedTask;
            });
            router.MapProcedure("com.atproto.server.createSession", static c =>
            {
                c.Response.WriteJson(new HealthResponse("session"), XrpcJsonContext.Default.HealthResponse);
                return ValueTask.CompletedTask;
            });
            router.MapSubscription("com.example.subscribe", static c =>
            {
                c.Response.StatusCode = 400;
                c.Response.WriteEmpty();
                return ValueTask.CompletedTask;
            });
            var options = new AlteranOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0) };
            _server = ServerComposition.CreateServer(options, router, NullLoggerFactory.Instance, limits, time);
            _server.Start();
            Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_server.LocalEndPoint.Port}/"), Timeout = TimeSpan.FromSeconds(30) };
        }

        public HttpClient Http { get; }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await _server.DisposeAsync();
        }
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out IEnumerable<string>? values) ? string.Join(",", values) : "";

    [Fact]
    public async Task HeadersCountDownThen429WithRetryAfterThenResetAfterWindow()
    {
        var time = new ManualTimeProvider(Start.AddSeconds(10));
        await using var host = new Host(new RateLimitOptions { GlobalPerMinute = 3 }, time);
        long reset = Start.AddMinutes(1).ToUnixTimeSeconds();

        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage ok = await host.Http.GetAsync("xrpc/com.example.ping");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("3", Header(ok, "RateLimit-Limit"));
            Assert.Equal((2 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), Header(ok, "RateLimit-Remaining"));
            Assert.Equal(reset.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(ok, "RateLimit-Reset"));
            Assert.Equal("3;w=60", Header(ok, "RateLimit-Policy"));
            Assert.Null(ok.Headers.RetryAfter);
        }

        using (HttpResponseMessage limited = await host.Http.GetAsync("xrpc/com.example.ping"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal("0", Header(limited, "RateLimit-Remaining"));
            Assert.Equal(TimeSpan.FromSeconds(50), limited.Headers.RetryAfter?.Delta);
            using JsonDocument body = JsonDocument.Parse(await limited.Content.ReadAsStringAsync());
            Assert.Equal("RateLimitExceeded", body.RootElement.GetProperty("error").GetString());
            Assert.Equal("Rate Limit Exceeded", body.RootElement.GetProperty("message").GetString());
        }

        time.Advance(TimeSpan.FromSeconds(50)); // next window
        using HttpResponseMessage again = await host.Http.GetAsync("xrpc/com.example.ping");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("2", Header(again, "RateLimit-Remaining"));
        Assert.Equal((reset + 60).ToString(System.Globalization.CultureInfo.InvariantCulture), Header(again, "RateLimit-Reset"));
    }

    [Fact]
    public async Task LoginBucketIsStricterAndReportedAsMostConstrained()
    {
        var time = new ManualTimeProvider(Start);
        await using var host = new Host(new RateLimitOptions { GlobalPerMinute = 100, LoginsPerFiveMinutes = 2 }, time);

        for (int i = 0; i < 2; i++)
        {
            using HttpResponseMessage ok = await host.Http.PostAsync("xrpc/com.atproto.server.createSession", new StringContent("{}"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("2", Header(ok, "RateLimit-Limit"));
            Assert.Equal("2;w=300", Header(ok, "RateLimit-Policy"));
        }

        using (HttpResponseMessage limited = await host.Http.PostAsync("xrpc/com.atproto.server.createSession", new StringContent("{}")))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal("2;w=300", Header(limited, "RateLimit-Policy"));
            Assert.Equal(TimeSpan.FromSeconds(300), limited.Headers.RetryAfter?.Delta);
        }

        // Other methods only see the global bucket, which still has room.
        using (HttpResponseMessage ping = await host.Http.GetAsync("xrpc/com.example.ping"))
        {
            Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
            Assert.Equal("100", Header(ping, "RateLimit-Limit"));
            Assert.Equal("96", Header(ping, "RateLimit-Remaining"));
        }

        time.Advance(TimeSpan.FromMinutes(5));
        using HttpResponseMessage after = await host.Http.PostAsync("xrpc/com.atproto.server.createSession", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task HealthRoutesSubscriptionsAndUnknownMethodsAreNeverLimited()
    {
        var time = new ManualTimeProvider(Start);
        await using var host = new Host(new RateLimitOptions { GlobalPerMinute = 1 }, time);
        using (HttpResponseMessage first = await host.Http.GetAsync("xrpc/com.example.ping"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        for (int i = 0; i < 3; i++)
        {
            foreach (string path in new[] { "health", "ready", "xrpc/_health", "xrpc/com.example.subscribe", "xrpc/com.example.nope" })
            {
                using HttpResponseMessage response = await host.Http.GetAsync(path);
                Assert.NotEqual(HttpStatusCode.TooManyRequests, response.StatusCode);
                Assert.False(response.Headers.Contains("RateLimit-Limit"), path);
            }
        }

        using HttpResponseMessage limited = await host.Http.GetAsync("xrpc/com.example.ping");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
    }

    [Fact]
    public async Task DisabledLimiterAddsNoHeaders()
    {
        await using var host = new Host(new RateLimitOptions { Enabled = false, GlobalPerMinute = 1 }, new ManualTimeProvider(Start));
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage response = await host.Http.GetAsync("xrpc/com.example.ping");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("RateLimit-Limit"));
        }
    }

    [Fact]
    public void ProductionDefaultsAreOnAndFollowTheEnvironmentBudget()
    {
        RateLimitOptions options = ServerComposition.CreateRateLimitOptions(new AlteranOptions { RateLimitPerMinute = 1234 });
        Assert.True(options.Enabled);
        Assert.Equal(1234, options.GlobalPerMinute);
        Assert.Equal(30, options.LoginsPerFiveMinutes);
        Assert.Equal(5000, options.RepoWritesPerHour);
        var limiter = new RateLimiter(options);
        Assert.Equal("repo-write", limiter.RouteBucket("com.atproto.repo.applyWrites")?.Name);
        Assert.Same(limiter.RouteBucket("com.atproto.repo.createRecord"), limiter.RouteBucket("com.atproto.repo.deleteRecord"));
        Assert.Equal("blob", limiter.RouteBucket("com.atproto.repo.uploadBlob")?.Name);
        Assert.Null(limiter.RouteBucket("com.atproto.repo.getRecord"));
    }

    [Fact]
    public void ClientsAreCountedSeparately()
    {
        var time = new ManualTimeProvider(Start);
        var limiter = new RateLimiter(new RateLimitOptions { GlobalPerMinute = 2 }, time);
        IPAddress a = IPAddress.Parse("192.0.2.1"), b = IPAddress.Parse("192.0.2.2");
        Assert.True(limiter.Acquire(a, null).Allowed);
        Assert.True(limiter.Acquire(a, null).Allowed);
        Assert.False(limiter.Acquire(a, null).Allowed);
        RateLimitDecision other = limiter.Acquire(b, null);
        Assert.True(other.Allowed);
        Assert.Equal(1, other.Remaining);
        // The IPv4-mapped form of a is a.
        Assert.False(limiter.Acquire(a.MapToIPv6(), null).Allowed);
    }

    [Fact]
    public void Ipv6IsKeyedByItsSlash64()
    {
        Assert.Equal(RateLimitKey.From(IPAddress.Parse("2001:db8:1:2::1")), RateLimitKey.From(IPAddress.Parse("2001:db8:1:2:ffff::9")));
        Assert.NotEqual(RateLimitKey.From(IPAddress.Parse("2001:db8:1:2::1")), RateLimitKey.From(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.NotEqual(RateLimitKey.From(IPAddress.Parse("0.0.0.0")), RateLimitKey.From(IPAddress.IPv6Loopback));
        Assert.NotEqual(RateLimitKey.From(IPAddress.Loopback), RateLimitKey.From(IPAddress.IPv6Loopback));
    }

    [Fact]
    public void KeyTableStaysBoundedUnderAFloodOfClients()
    {
        var time = new ManualTimeProvider(Start);
        var bucket = new RateLimitBucket("test", 5, TimeSpan.FromMinutes(1), maxKeys: 100);
        for (uint i = 0; i < 10_000; i++)
        {
            Assert.True(bucket.Acquire(new UInt128(0, i + 1), time.GetUtcNow()).Allowed);
            Assert.True(bucket.TrackedKeys <= 101, $"tracked {bucket.TrackedKeys}");
        }

        // Expired windows go first: after the window passes, a new client triggers a sweep of all of them.
        time.Advance(TimeSpan.FromMinutes(1));
        for (uint i = 0; i < 100; i++)
        {
            bucket.Acquire(new UInt128(1, i), time.GetUtcNow());
        }

        Assert.Equal(100, bucket.TrackedKeys);
        RateLimitDecision live = bucket.Acquire(new UInt128(1, 0), time.GetUtcNow());
        Assert.Equal(3, live.Remaining); // a live client survives the sweep with its count (2nd request of 5)
    }

    [Fact]
    public void ConcurrentChargesAreNotLost()
    {
        var time = new ManualTimeProvider(Start);
        var bucket = new RateLimitBucket("test", 1_000_000, TimeSpan.FromMinutes(1), maxKeys: 100);
        Parallel.For(0, 4, _ =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                bucket.Acquire(UInt128.One, time.GetUtcNow());
            }
        });
        Assert.Equal(1_000_000 - 40_001, bucket.Acquire(UInt128.One, time.GetUtcNow()).Remaining);
    }
}
