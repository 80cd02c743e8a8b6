using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Alteran.Net.Hosting;
using Microsoft.Extensions.Configuration;
using Alteran.Net.Relay;
using Alteran.Net.Tests.Pds;
using Microsoft.Extensions.Logging.Abstractions;

namespace Alteran.Net.Tests.Relay;

/// <summary>Outbound <c>com.atproto.sync.requestCrawl</c> to loopback stand-in relays.</summary>
public sealed class RequestCrawlTests
{
    private static AlteranOptions Options(TimeSpan? interval = null, params FakeRelay[] relays) => new()
    {
        RelayHosts = relays.Select(r => r.Origin).ToArray(),
        RelayCrawlInterval = interval ?? TimeSpan.FromHours(12),
        TreatHostnameAsPublic = true, // the loopback relays are the only network peers
    };

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 400 && !condition(); i++)
            await Task.Delay(50);
        Assert.True(condition());
    }

    [Theory]
    [InlineData("pds.alice.com", true)]
    [InlineData("bsky.social", true)]
    [InlineData("PDS.Alice.Com", true)]
    [InlineData("localhost", false)]
    [InlineData("localhost:2583", false)]
    [InlineData("pds.alice.com:8443", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("1.2.3.4", false)]
    [InlineData("alice.test", false)]
    [InlineData("pds.local", false)]
    [InlineData("pds.localhost", false)]
    [InlineData("pds.invalid", false)]
    [InlineData("pds.example", false)]
    [InlineData("pds.internal", false)]
    [InlineData("pds.lan", false)]
    [InlineData("example.com", false)]
    [InlineData("pds.example.org", false)]
    [InlineData("nodot", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void PublicHostnameRule(string? hostname, bool expected) => Assert.Equal(expected, PublicHostname.IsPublic(hostname));

    [Theory]
    [InlineData("bsky.network", "https://bsky.network/xrpc/com.atproto.sync.requestCrawl")]
    [InlineData("relay.example.net:8443", "https://relay.example.net:8443/xrpc/com.atproto.sync.requestCrawl")]
    [InlineData("https://relay.example.net", "https://relay.example.net/xrpc/com.atproto.sync.requestCrawl")]
    [InlineData("http://127.0.0.1:9000", "http://127.0.0.1:9000/xrpc/com.atproto.sync.requestCrawl")]
    [InlineData("http://[::1]:9000", "http://[::1]:9000/xrpc/com.atproto.sync.requestCrawl")]
    [InlineData("http://relay.example.net", null)] // plain http only for loopback
    [InlineData("https://relay.example.net/path", null)]
    [InlineData("ftp://relay.example.net", null)]
    [InlineData("relay.example.net/x", null)]
    [InlineData("user@relay.example.net", null)]
    public void RelayEntries(string entry, string? expected)
    {
        bool ok = RelayEndpoint.TryParse(entry, out Uri? url);
        Assert.Equal(expected is not null, ok);
        if (ok)
            Assert.Equal(expected, url!.ToString());
    }

    [Fact]
    public async Task AtStartup_EveryRelayReceivesTheHostname()
    {
        await using var ok = new FakeRelay(FakeRelay.Behaviour.Accept);
        await using var failing = new FakeRelay(FakeRelay.Behaviour.Fail);
        using var service = new RequestCrawlService(Options(null, ok, failing), "pds.example.com", NullLogger.Instance);
        Assert.True(service.IsEnabled);
        await service.StartAsync(CancellationToken.None);
        await ok.WaitForRequestAsync();
        await failing.WaitForRequestAsync();
        await WaitUntilAsync(() => service.RoundsCompleted == 1);
        await service.StopAsync(CancellationToken.None);
        foreach (FakeRelay relay in new[] { ok, failing })
        {
            Assert.True(relay.Requests.TryDequeue(out var request));
            Assert.Equal("{\"hostname\":\"pds.example.com\"}", request.Body);
            Assert.Equal("application/json", request.ContentType);
            Assert.Empty(relay.Requests); // one request per round, the 12 h interval has not passed
        }
    }

    [Fact]
    public async Task HangingRelay_DoesNotDelayStartupOrHealth_AndShutdownCancelsIt()
    {
        await using var hanging = new FakeRelay(FakeRelay.Behaviour.Hang);
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        using var service = new RequestCrawlService(Options(null, hanging), "pds.example.com", NullLogger.Instance);
        await service.StartAsync(CancellationToken.None); // returns although the relay never answers
        await hanging.WaitForRequestAsync();
        Reply health = await host.GetAsync("xrpc/_health");
        Assert.Equal(200, health.Status);
        Assert.Equal(0, service.RoundsCompleted); // still waiting on the relay while the PDS serves
        using var stopLimit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await service.StopAsync(stopLimit.Token); // cancels the in-flight request
        Assert.Equal(0, service.RoundsCompleted);
    }

    [Fact]
    public async Task FailingRelay_IsTriedAgainOnlyAtTheNextInterval()
    {
        await using var failing = new FakeRelay(FakeRelay.Behaviour.Fail);
        using var service = new RequestCrawlService(Options(TimeSpan.FromMilliseconds(150), failing), "pds.example.com", NullLogger.Instance);
        await service.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => service.RoundsCompleted >= 3);
        await service.StopAsync(CancellationToken.None);
        // Exactly one request per round: a failure is not retried within the round.
        int requests = failing.Requests.Count;
        Assert.InRange(requests, service.RoundsCompleted, service.RoundsStarted);
        Assert.InRange(service.RoundsStarted, service.RoundsCompleted, service.RoundsCompleted + 1);
    }

    [Fact]
    public async Task PrivateHostname_OrNoRelays_SendsNothing()
    {
        await using var relay = new FakeRelay(FakeRelay.Behaviour.Accept);
        var options = new AlteranOptions { RelayHosts = [relay.Origin] };
        using var local = new RequestCrawlService(options, "localhost:2583", NullLogger.Instance);
        Assert.False(local.IsEnabled);
        await local.StartAsync(CancellationToken.None);
        await local.StopAsync(CancellationToken.None);
        using var none = new RequestCrawlService(new AlteranOptions { RelayHosts = [] }, "pds.alice.com", NullLogger.Instance);
        Assert.False(none.IsEnabled);
        Assert.Equal(0, local.RoundsStarted);
        Assert.Empty(relay.Requests);
    }

    [Fact]
    public void Options_RelayHostsParsedAndValidated()
    {
        var errors = new List<string>();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PDS_RELAY_HOSTS"] = "bsky.network, http://127.0.0.1:9999 ,http://relay.example.net",
        }).Build();
        AlteranOptions o = AlteranOptionsLoader.Load(configuration, errors);
        AlteranOptionsLoader.Validate(o, errors);
        Assert.Equal(["bsky.network", "http://127.0.0.1:9999", "http://relay.example.net"], o.RelayHosts);
        Assert.Single(errors);
        Assert.Contains("http://relay.example.net", errors[0]);
        Assert.Equal(["bsky.network"], new AlteranOptions().RelayHosts);
        var none = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["PDS_RELAY_HOSTS"] = "none" }).Build();
        Assert.Empty(AlteranOptionsLoader.Load(none, errors).RelayHosts);
    }

    /// <summary>The real entry point: a public PDS_HOSTNAME and a hanging loopback relay; health answers, SIGTERM exits 0.</summary>
    [Fact]
    public async Task Process_AnnouncesToRelayInBackground_AndStopsCleanly()
    {
        await using var hanging = new FakeRelay(FakeRelay.Behaviour.Hang);
        string dir = Directory.CreateTempSubdirectory("alteran-relay-").FullName;
        try
        {
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }
            var info = new ProcessStartInfo("dotnet", Path.Combine(AppContext.BaseDirectory, "alteran.dll"))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string key in new[] { "PDS_ENV", "PDS_DID", "PDS_HANDLE", "USER_PASSWORD", "ACCESS_TOKEN", "REFRESH_TOKEN", "REPO_SIGNING_KEY", "ALTERAN_CONFIG" })
                info.Environment.Remove(key);
            info.Environment["ALTERAN_DATA"] = Path.Combine(dir, "data");
            info.Environment["ALTERAN_LISTEN"] = $"127.0.0.1:{port}";
            // Public-looking name: it only travels in the body sent to the loopback relay; nothing resolves it.
            info.Environment["PDS_HOSTNAME"] = "pds.alteran-relay-test.net";
            info.Environment["PDS_HANDLE"] = "alice.test";
            info.Environment["PDS_RELAY_HOSTS"] = hanging.Origin;
            using Process process = Process.Start(info)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            try
            {
                await hanging.WaitForRequestAsync();
                Assert.True(hanging.Requests.TryPeek(out var request));
                Assert.Equal("{\"hostname\":\"pds.alteran-relay-test.net\"}", request.Body);
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                string? health = null;
                for (int i = 0; i < 100 && health is null; i++)
                {
                    try
                    {
                        health = await http.GetStringAsync($"http://127.0.0.1:{port}/xrpc/_health");
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(100);
                    }
                }
                Assert.NotNull(health);
                using (Process kill = Process.Start("kill", $"-TERM {process.Id}"))
                    await kill.WaitForExitAsync();
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await process.WaitForExitAsync(cts.Token);
                Assert.Equal(0, process.ExitCode);
            }
            finally
            {
                if (!process.HasExited)
                    process.Kill();
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
