using Alteran.Net.Identity;
using Alteran.Net.Tests.Pds;
using Alteran.Net.Xrpc;

namespace Alteran.Net.Tests.Identity;

/// <summary><c>com.atproto.identity.resolveHandle</c> on the real PDS, with loopback DNS and well-known servers.</summary>
public sealed class ResolveHandleRouteTests
{
    [Fact]
    public async Task ResolvesOwnAndRemoteHandles_UnknownIsHandleNotFound_InvalidIsInvalidRequest()
    {
        await using var dns = new LoopbackDnsServer();
        await using var web = new TestServer(router => router.MapPath(WellKnownDidClient.Path, XrpcMethodKind.Query, ctx =>
        {
            if (ctx.Request.GetHeader("host"u8) == "web.example.org")
                ctx.Response.WriteBody("did:web:web.example.org"u8, "text/plain"u8);
            else
            {
                ctx.Response.StatusCode = 404;
                ctx.Response.WriteEmpty();
            }
            return ValueTask.CompletedTask;
        }));
        dns.SetTxt("_atproto.remote.example.org", "did=did:plc:remoteremote");
        await using PdsTestHost host = await PdsTestHost.StartAsync(o =>
        {
            o.DnsResolver = dns.EndPoint;
            o.HandleWellKnownOriginOverride = new Uri($"http://127.0.0.1:{web.Port}");
        });

        Assert.Equal(host.Pds.Did, (await host.GetAsync("xrpc/com.atproto.identity.resolveHandle?handle=alice.test")).Str("did"));
        Assert.Equal("did:plc:remoteremote", (await host.GetAsync("xrpc/com.atproto.identity.resolveHandle?handle=Remote.Example.org")).Str("did"));
        Assert.Equal("did:web:web.example.org", (await host.GetAsync("xrpc/com.atproto.identity.resolveHandle?handle=web.example.org")).Str("did"));

        Reply missing = await host.GetAsync("xrpc/com.atproto.identity.resolveHandle?handle=nobody.example.org");
        Assert.Equal(400, missing.Status);
        Assert.Equal("HandleNotFound", missing.Error);
        Reply reserved = await host.GetAsync("xrpc/com.atproto.identity.resolveHandle?handle=bob.test");
        Assert.Equal("HandleNotFound", reserved.Error);

        Reply invalid = await host.GetAsync("xrpc/com.atproto.identity.resolveHandle?handle=-bad-.example.org");
        Assert.Equal(400, invalid.Status);
        Assert.Equal("InvalidRequest", invalid.Error);
    }

    [Fact]
    public async Task UnreachableResolvers_AreHandleNotFound_NotA500()
    {
        // A DNS "server" port with nobody listening (ICMP refused or silence) and a web origin that refuses connections.
        int closedPort;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        await using PdsTestHost host = await PdsTestHost.StartAsync(o =>
        {
            o.DnsResolver = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, closedPort);
            o.HandleWellKnownOriginOverride = new Uri($"http://127.0.0.1:{closedPort}");
        });
        Reply r = await host.GetAsync("xrpc/com.atproto.identity.resolveHandle?handle=nowhere.example.org");
        Assert.Equal(400, r.Status);
        Assert.Equal("HandleNotFound", r.Error);
    }

    [Fact]
    public async Task UpdateHandle_AcceptsOurDomainAndHandlesThatResolveToUs_RefusesOthers()
    {
        await using var dns = new LoopbackDnsServer();
        await using PdsTestHost host = await PdsTestHost.StartAsync(o =>
        {
            o.Hostname = "pds.example.org";
            o.DnsResolver = dns.EndPoint;
        });
        (string access, _) = await host.LoginOkAsync();
        string did = host.Pds.Did;
        dns.SetTxt("_atproto.mine.example.net", "did=" + did);
        dns.SetTxt("_atproto.theirs.example.net", "did=did:plc:someoneelse00");

        // A subdomain of our host name is served by our own well-known: no look-up needed.
        Assert.Equal(200, (await host.PostAsync("xrpc/com.atproto.identity.updateHandle", """{"handle":"me.pds.example.org"}""", access)).Status);
        Assert.Equal(200, (await host.PostAsync("xrpc/com.atproto.identity.updateHandle", """{"handle":"mine.example.net"}""", access)).Status);
        Assert.Equal("mine.example.net", host.Pds.Handle);

        Reply theirs = await host.PostAsync("xrpc/com.atproto.identity.updateHandle", """{"handle":"theirs.example.net"}""", access);
        Assert.Equal(400, theirs.Status);
        Assert.Equal("InvalidRequest", theirs.Error);
        Assert.Equal("mine.example.net", host.Pds.Handle);

        // Not found is cached for resolveHandle, but updateHandle looks again: a user who just fixed DNS is not kept waiting.
        Assert.Equal("HandleNotFound", (await host.GetAsync("xrpc/com.atproto.identity.resolveHandle?handle=later.example.net")).Error);
        Assert.Equal(400, (await host.PostAsync("xrpc/com.atproto.identity.updateHandle", """{"handle":"later.example.net"}""", access)).Status);
        dns.SetTxt("_atproto.later.example.net", "did=" + did);
        Assert.Equal(200, (await host.PostAsync("xrpc/com.atproto.identity.updateHandle", """{"handle":"later.example.net"}""", access)).Status);
        Assert.Equal("later.example.net", host.Pds.Handle);
    }
}
