using System.Text.Json;
using Alteran.Net.Jetstream;
using Alteran.Net.Repo;
using Alteran.Net.Tests.Pds;
using Alteran.Net.Tests.Repo;

namespace Alteran.Net.Tests.Jetstream;

/// <summary>The composed PDS serves <c>/subscribe</c> next to <c>subscribeRepos</c>.</summary>
public sealed class JetstreamPdsTests
{
    [Fact]
    public async Task The_pds_serves_subscribe_with_its_own_commits()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        var ws = new System.Net.WebSockets.ClientWebSocket();
        Uri uri = new(host.Http.BaseAddress!, JetstreamSubscription.Path + "?wantedCollections=app.bsky.feed.*");
        await ws.ConnectAsync(new UriBuilder(uri) { Scheme = "ws" }.Uri, CancellationToken.None);
        using var client = new JetstreamClient(ws);
        await host.Pds.Repo.ApplyWritesAsync(host.Pds.AccountId, host.Pds.SigningKey,
            [RepoWriteOp.Create(RepoTestData.Posts, "3kabcdefghij2", RepoTestData.Record(RepoTestData.Posts, "from the pds"))]);
        // Start-up's #identity / #account (logged with the account, picked up from the log) may come first.
        List<JsonElement> events = await client.ReceiveUntilRkeyAsync("3kabcdefghij2", max: 10);
        JsonElement e = events[^1];
        Assert.Equal(host.Pds.Did, e.GetProperty("did").GetString());
        Assert.All(events, x => Assert.Equal(host.Pds.Did, x.GetProperty("did").GetString()));
        Assert.Equal("from the pds", e.GetProperty("commit").GetProperty("record").GetProperty("text").GetString());
    }
}
