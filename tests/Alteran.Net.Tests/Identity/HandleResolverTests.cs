using System.Collections.Concurrent;
using System.Text;
using Alteran.Net.Http;
using Alteran.Net.Identity;
using Alteran.Net.Identity.Dns;
using Alteran.Net.Xrpc;

namespace Alteran.Net.Tests.Identity;

/// <summary>
/// <see cref="HandleResolver"/> against a real loopback DNS server and a real loopback HTTP server standing in for
/// the handles' web servers (the well-known origin is overridden to it; the handle travels in the Host header).
/// </summary>
public sealed class HandleResolverTests : IAsyncLifetime
{
    private readonly LoopbackDnsServer _dns = new();
    private TestServer _web = null!;
    private readonly ConcurrentDictionary<string, int> _webHits = new();

    public Task InitializeAsync()
    {
        _web = new TestServer(router =>
        {
            router.MapPath(WellKnownDidClient.Path, XrpcMethodKind.Query, WellKnown);
            router.MapPath("/alt-did", XrpcMethodKind.Query, ctx =>
            {
                ctx.Response.WriteBody("did:plc:redirected"u8, "text/plain"u8);
                return ValueTask.CompletedTask;
            });
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _web.DisposeAsync();
        await _dns.DisposeAsync();
    }

    private async ValueTask WellKnown(HttpContext ctx)
    {
        string host = ctx.Request.GetHeader("host"u8) ?? "";
        _webHits.AddOrUpdate(host, 1, (_, n) => n + 1);
        switch (host)
        {
            case "web.example.com":
                ctx.Response.WriteBody("  did:plc:webwebweb  \nsecond line ignored\n"u8, "text/plain"u8);
                break;
            case "both.example.com":
                ctx.Response.WriteBody("did:plc:fromhttp"u8, "text/plain"u8);
                break;
            case "multi.example.com":
            case "silent.example.com":
                ctx.Response.WriteBody("did:plc:httpfallback"u8, "text/plain"u8);
                break;
            case "redirect.example.com":
                Redirect(ctx, "/alt-did");
                break;
            case "offsite.example.com":
                Redirect(ctx, $"http://localhost:{_web.Port}/alt-did"); // another host: refused
                break;
            case "loop.example.com":
                Redirect(ctx, WellKnownDidClient.Path);
                break;
            case "big.example.com":
                ctx.Response.WriteBody(Encoding.ASCII.GetBytes("did:plc:" + new string('a', 3000)), "text/plain"u8);
                break;
            case "bad.example.com":
                ctx.Response.WriteBody("<html>not a did</html>"u8, "text/html"u8);
                break;
            case "binary.example.com":
                ctx.Response.WriteBody([(byte)'d', (byte)'i', (byte)'d', 0xFF, 0xFE], "text/plain"u8);
                break;
            case "status.example.com":
                ctx.Response.StatusCode = 404;
                ctx.Response.WriteBody("did:plc:notfound"u8, "text/plain"u8);
                break;
            case "hang.example.com":
                await Task.Delay(Timeout.Infinite, ctx.ConnectionAborted);
                break;
            default:
                ctx.Response.StatusCode = 404;
                ctx.Response.WriteEmpty();
                break;
        }
    }

    private static void Redirect(HttpContext ctx, string location)
    {
        ctx.Response.StatusCode = 302;
        ctx.Response.AddHeader("Location", location);
        ctx.Response.WriteEmpty();
    }

    private HandleResolver CreateResolver(TimeProvider? time = null) => new(new HandleResolverOptions
    {
        DnsServer = _dns.EndPoint,
        DnsTimeout = TimeSpan.FromMilliseconds(600),
        HttpTimeout = TimeSpan.FromSeconds(1),
        WellKnownOriginOverride = new Uri($"http://127.0.0.1:{_web.Port}"),
        Time = time ?? TimeProvider.System,
    });

    [Fact]
    public async Task DnsTxt_OneDidRecordAmongOthers_Resolves()
    {
        _dns.SetTxt("_atproto.dns.example.com", "v=spf1 -all", "did=did:plc:fromdns", "google-site-verification=x");
        using HandleResolver resolver = CreateResolver();
        Assert.Equal("did:plc:fromdns", await resolver.ResolveAsync("DNS.Example.com"));
    }

    [Fact]
    public async Task DnsTxt_ChunkedRecord_IsJoined()
    {
        _dns.Records["_atproto.chunks.example.com"] = [["did=did:plc:", "chunked"]];
        using HandleResolver resolver = CreateResolver();
        Assert.Equal("did:plc:chunked", await resolver.ResolveAsync("chunks.example.com"));
    }

    [Fact]
    public async Task DnsWinsOverHttpWhenTheyDisagree()
    {
        _dns.SetTxt("_atproto.both.example.com", "did=did:plc:fromdns");
        using HandleResolver resolver = CreateResolver();
        Assert.Equal("did:plc:fromdns", await resolver.ResolveAsync("both.example.com"));
    }

    [Fact]
    public async Task TwoDidRecords_DnsFails_HttpIsUsed()
    {
        _dns.SetTxt("_atproto.multi.example.com", "did=did:plc:one", "did=did:plc:two");
        using HandleResolver resolver = CreateResolver();
        Assert.Null(await resolver.ResolveDnsAsync("multi.example.com"));
        Assert.Equal("did:plc:httpfallback", await resolver.ResolveAsync("multi.example.com"));
    }

    [Fact]
    public async Task InvalidDidInTxt_IsNotAccepted()
    {
        _dns.SetTxt("_atproto.junk.example.com", "did=not a did");
        using HandleResolver resolver = CreateResolver();
        Assert.Null(await resolver.ResolveAsync("junk.example.com"));
    }

    [Fact]
    public async Task TruncatedUdpAnswer_IsAskedAgainOverTcp()
    {
        _dns.SetTxt("_atproto.tc.example.com", "did=did:plc:overtcp");
        _dns.Truncate["_atproto.tc.example.com"] = true;
        using HandleResolver resolver = CreateResolver();
        Assert.Equal("did:plc:overtcp", await resolver.ResolveAsync("tc.example.com"));
        Assert.True(_dns.TcpQueries >= 1);
    }

    [Fact]
    public async Task StrayDatagramWithAnotherId_IsIgnored()
    {
        _dns.SetTxt("_atproto.stray.example.com", "did=did:plc:realanswer");
        _dns.StrayFirst["_atproto.stray.example.com"] = true;
        using HandleResolver resolver = CreateResolver();
        Assert.Equal("did:plc:realanswer", await resolver.ResolveAsync("stray.example.com"));
    }

    [Fact]
    public async Task SilentDnsServer_TimesOut_ThenHttpAnswers()
    {
        _dns.Silent["_atproto.silent.example.com"] = true;
        using HandleResolver resolver = CreateResolver();
        Assert.Equal("did:plc:httpfallback", await resolver.ResolveAsync("silent.example.com"));
        await Assert.ThrowsAsync<TimeoutException>(() =>
            new DnsTxtClient(_dns.EndPoint, TimeSpan.FromMilliseconds(300)).QueryTxtAsync("_atproto.silent.example.com"));
        Assert.True(_dns.UdpQueries >= 2); // the UDP query was sent again within the deadline
    }

    [Fact]
    public async Task WellKnown_FirstLineTrimmed()
    {
        using HandleResolver resolver = CreateResolver();
        Assert.Equal("did:plc:webwebweb", await resolver.ResolveAsync("web.example.com"));
    }

    [Fact]
    public async Task WellKnown_SameHostRedirectFollowed_OtherHostAndLoopsRefused()
    {
        using HandleResolver resolver = CreateResolver();
        Assert.Equal("did:plc:redirected", await resolver.ResolveAsync("redirect.example.com"));
        Assert.Null(await resolver.ResolveAsync("offsite.example.com"));
        Assert.Null(await resolver.ResolveAsync("loop.example.com"));
        Assert.Equal(4, _webHits["loop.example.com"]); // the first request and 3 redirects, then it gives up
    }

    [Theory]
    [InlineData("big.example.com")]
    [InlineData("bad.example.com")]
    [InlineData("binary.example.com")]
    [InlineData("status.example.com")]
    [InlineData("hang.example.com")]
    [InlineData("nothing.example.com")]
    public async Task WellKnown_BadAnswers_DoNotResolve(string handle)
    {
        using HandleResolver resolver = CreateResolver();
        Assert.Null(await resolver.ResolveAsync(handle));
    }

    [Fact]
    public async Task ReservedNames_AreNeverLookedUp()
    {
        using HandleResolver resolver = CreateResolver();
        foreach (string handle in new[] { "bob.test", "bob.local", "bob.localhost", "bob.invalid", "bob.example", "bob.onion" })
            Assert.Null(await resolver.ResolveAsync(handle));
        Assert.Equal(0, _dns.UdpQueries);
        Assert.Empty(_webHits);
    }

    [Fact]
    public async Task Results_AreCachedUntilTheyExpire()
    {
        var clock = new SteppedClock();
        _dns.SetTxt("_atproto.cached.example.com", "did=did:plc:first");
        using HandleResolver resolver = CreateResolver(clock);
        Assert.Equal("did:plc:first", await resolver.ResolveAsync("cached.example.com"));
        Assert.Null(await resolver.ResolveAsync("nothing.example.com"));
        int queries = _dns.UdpQueries;

        _dns.SetTxt("_atproto.cached.example.com", "did=did:plc:second");
        _dns.SetTxt("_atproto.nothing.example.com", "did=did:plc:appeared");
        Assert.Equal("did:plc:first", await resolver.ResolveAsync("cached.example.com"));
        Assert.Null(await resolver.ResolveAsync("nothing.example.com"));
        Assert.Equal(queries, _dns.UdpQueries);

        clock.Advance(TimeSpan.FromMinutes(2)); // past the negative TTL (1 min), within the positive TTL (10 min)
        Assert.Equal("did:plc:appeared", await resolver.ResolveAsync("nothing.example.com"));
        Assert.Equal("did:plc:first", await resolver.ResolveAsync("cached.example.com"));
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal("did:plc:second", await resolver.ResolveAsync("cached.example.com"));
    }

    [Fact]
    public void Cache_IsBounded()
    {
        var clock = new SteppedClock();
        var cache = new HandleCache(16, clock);
        for (int i = 0; i < 1000; i++)
            cache.Set($"h{i}.example.com", "did:plc:x", TimeSpan.FromMinutes(1));
        Assert.InRange(cache.Count, 1, 16);
        Assert.True(cache.TryGet("h999.example.com", out string? did));
        Assert.Equal("did:plc:x", did);
    }

    [Fact]
    public void ResolvConf_FirstNameServerWins()
    {
        Assert.Equal("10.0.0.2:53", ResolvConf.ParseFirstNameServer("# comment\nsearch lan\nnameserver   10.0.0.2\nnameserver 10.0.0.3\n")?.ToString());
        Assert.Equal("[::1]:53", ResolvConf.ParseFirstNameServer("nameserver bogus\nnameserver ::1 # local\n")?.ToString());
        Assert.Null(ResolvConf.ParseFirstNameServer("nameservers 1.1.1.1\noptions ndots:5\n"));
        Assert.True(ResolvConf.TryParseServer("127.0.0.1:5353", out var ep) && ep.Port == 5353);
        Assert.True(ResolvConf.TryParseServer("1.1.1.1", out ep) && ep.Port == 53);
        Assert.True(ResolvConf.TryParseServer("[::1]:53", out ep) && ep.Port == 53);
        Assert.False(ResolvConf.TryParseServer("dns.google:53", out _));
        Assert.False(ResolvConf.TryParseServer("1.1.1.1:0", out _));
    }

    [Fact]
    public void PublicAddress_RefusesInternalRanges()
    {
        foreach (string a in new[] { "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::" })
            Assert.False(PublicAddress.IsPublic(System.Net.IPAddress.Parse(a)), a);
        foreach (string a in new[] { "1.1.1.1", "172.32.0.1", "8.8.8.8", "2606:4700::1111" })
            Assert.True(PublicAddress.IsPublic(System.Net.IPAddress.Parse(a)), a);
    }

    [Fact]
    public async Task ProductionConnect_RefusesInternalAddresses_EvenWithAListener()
    {
        // The production path (no origin override) connects only to public addresses: a live loopback listener
        // is still refused. IP literals need no DNS lookup, so nothing leaves the machine.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        await Assert.ThrowsAsync<HttpRequestException>(async () =>
            await WellKnownDidClient.ConnectToPublicAddressAsync("127.0.0.1", port, CancellationToken.None));
        Assert.False(listener.Pending());
    }

    /// <summary>A clock whose timestamp the test moves (the cache reads <see cref="TimeProvider.GetTimestamp"/>).</summary>
    private sealed class SteppedClock : TimeProvider
    {
        private long _ticks = 1;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Interlocked.Read(ref _ticks);
        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
