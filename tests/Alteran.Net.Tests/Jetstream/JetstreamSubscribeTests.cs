using System.Net.WebSockets;
using System.Text.Json;
using Alteran.Net.Firehose;
using Alteran.Net.Jetstream;
using Alteran.Net.Repo;
using Alteran.Net.Tests.Repo;

namespace Alteran.Net.Tests.Jetstream;

/// <summary>Jetstream's <c>/subscribe</c> over real sockets, a real store and real commits.</summary>
public sealed class JetstreamSubscribeTests
{
    private const string Upgrade = "Host: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private static string Kind(JsonElement e) => e.GetProperty("kind").GetString()!;

    private static JsonElement Commit(JsonElement e) => e.GetProperty("commit");

    private static async Task<List<JsonElement>> Commits(JetstreamClient client, int count)
    {
        var commits = new List<JsonElement>();
        for (int i = 0; i < 1000 && commits.Count < count; i++)
        {
            JsonElement e = await client.ReceiveAsync();
            if (Kind(e) == "commit")
                commits.Add(e);
        }
        return commits;
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("?compress=true", false)]
    [InlineData("", true)] // Socket-Encoding: zstd
    public async Task Create_update_delete_arrive_in_jetstream_format(string query, bool zstdHeader)
    {
        await using var f = new JetstreamFixture();
        TestAccount a = await f.CreateAccountAsync();
        using JetstreamClient client = await f.SubscribeAsync(query, zstdHeader);
        RepoCommitResult created = await f.PostAsync(a, "p1", "first");
        RepoCommitResult updated = await f.WriteAsync(a, RepoWriteOp.Update(RepoTestData.Posts, "p1", RepoTestData.Record(RepoTestData.Posts, "second")));
        RepoCommitResult deleted = await f.WriteAsync(a, RepoWriteOp.Delete(RepoTestData.Posts, "p1"));

        List<JsonElement> events = await Commits(client, 3);
        Assert.All(client.Types, t => Assert.Equal(query.Length > 0 || zstdHeader ? WebSocketMessageType.Binary : WebSocketMessageType.Text, t));
        string[] operations = ["create", "update", "delete"];
        string[] revs = [created.Rev, updated.Rev, deleted.Rev];
        long lastTime = 0;
        for (int i = 0; i < 3; i++)
        {
            JsonElement e = events[i];
            Assert.Equal(a.Did, e.GetProperty("did").GetString());
            long time = e.GetProperty("time_us").GetInt64();
            Assert.True(time > lastTime, "time_us strictly increases");
            Assert.InRange(time, DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds() * 1000, DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds() * 1000);
            lastTime = time;
            JsonElement c = Commit(e);
            Assert.Equal(revs[i], c.GetProperty("rev").GetString());
            Assert.Equal(operations[i], c.GetProperty("operation").GetString());
            Assert.Equal(RepoTestData.Posts, c.GetProperty("collection").GetString());
            Assert.Equal("p1", c.GetProperty("rkey").GetString());
            // Field order as Jetstream writes it.
            string[] names = [.. e.EnumerateObject().Select(p => p.Name)];
            Assert.Equal(["did", "time_us", "kind", "commit"], names);
        }
        Assert.Equal("first", Commit(events[0]).GetProperty("record").GetProperty("text").GetString());
        Assert.Equal(RepoTestData.Posts, Commit(events[0]).GetProperty("record").GetProperty("$type").GetString());
        Assert.Equal("second", Commit(events[1]).GetProperty("record").GetProperty("text").GetString());
        Assert.StartsWith("bafyrei", Commit(events[0]).GetProperty("cid").GetString());
        Assert.NotEqual(Commit(events[0]).GetProperty("cid").GetString(), Commit(events[1]).GetProperty("cid").GetString());
        Assert.False(Commit(events[2]).TryGetProperty("record", out _));
        Assert.False(Commit(events[2]).TryGetProperty("cid", out _));
        Assert.Equal(["rev", "operation", "collection", "rkey", "record", "cid"], Commit(events[0]).EnumerateObject().Select(p => p.Name).ToArray());
    }

    [Fact]
    public async Task Collection_did_and_prefix_filters_and_options_update()
    {
        await using var f = new JetstreamFixture();
        TestAccount a = await f.CreateAccountAsync();
        TestAccount b = await f.CreateAccountAsync();
        using JetstreamClient likes = await f.SubscribeAsync("?wantedCollections=app.bsky.feed.like");
        using JetstreamClient feed = await f.SubscribeAsync("?wantedCollections=app.bsky.feed.*");
        using JetstreamClient onlyB = await f.SubscribeAsync("?wantedDids=" + Uri.EscapeDataString(b.Did));
        using JetstreamClient updated = await f.SubscribeAsync("?wantedCollections=app.bsky.graph.follow");
        await updated.SendTextAsync("""{"type":"options_update","payload":{"wantedCollections":["app.bsky.feed.post"],"wantedDids":[],"maxMessageSizeBytes":0}}""");
        await Task.Delay(200); // the update is applied by the server's receive loop

        await f.PostAsync(a, "a1");
        await f.WriteAsync(a, RepoWriteOp.Create(RepoTestData.Likes, "l1", RepoTestData.Record(RepoTestData.Likes, "x")));
        await f.PostAsync(b, "b1");
        await f.WriteAsync(b, RepoWriteOp.Create(RepoTestData.Likes, "l2", RepoTestData.Record(RepoTestData.Likes, "y")));

        List<JsonElement> l = await Commits(likes, 2);
        Assert.Equal(["l1", "l2"], l.Select(e => Commit(e).GetProperty("rkey").GetString()!).ToArray());
        List<JsonElement> all = await Commits(feed, 4);
        Assert.Equal(["a1", "l1", "b1", "l2"], all.Select(e => Commit(e).GetProperty("rkey").GetString()!).ToArray());
        List<JsonElement> bs = await Commits(onlyB, 2);
        Assert.All(bs, e => Assert.Equal(b.Did, e.GetProperty("did").GetString()));
        Assert.Equal(["b1", "l2"], bs.Select(e => Commit(e).GetProperty("rkey").GetString()!).ToArray());
        List<JsonElement> posts = await Commits(updated, 2);
        Assert.Equal(["a1", "b1"], posts.Select(e => Commit(e).GetProperty("rkey").GetString()!).ToArray());
    }

    [Fact]
    public async Task Max_message_size_drops_larger_events()
    {
        await using var f = new JetstreamFixture();
        TestAccount a = await f.CreateAccountAsync();
        using JetstreamClient client = await f.SubscribeAsync("?maxMessageSizeBytes=1000&wantedCollections=app.bsky.feed.post");
        await f.PostAsync(a, "big", new string('x', 5000));
        await f.PostAsync(a, "small", "tiny");
        List<JsonElement> events = await Commits(client, 1);
        Assert.Equal("small", Commit(events[0]).GetProperty("rkey").GetString());
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(4)] // a tiny feed ring: the replay converts from the log and cuts over to the ring
    public async Task Cursor_replays_from_that_time_then_continues_live_without_gap_or_duplicate(int feedRing)
    {
        await using var f = new JetstreamFixture(feedRingCapacity: feedRing);
        TestAccount a = await f.CreateAccountAsync();
        using JetstreamClient live = await f.SubscribeAsync("?wantedCollections=app.bsky.feed.post");
        for (int i = 0; i < 12; i++)
            await f.PostAsync(a, $"a{i:D2}");
        List<JsonElement> seen = await Commits(live, 12);
        long cursor = seen[5].GetProperty("time_us").GetInt64();

        using JetstreamClient replay = await f.SubscribeAsync($"?wantedCollections=app.bsky.feed.post&compress=true&cursor={cursor}");
        var writes = Task.Run(async () =>
        {
            for (int i = 0; i < 10; i++)
                await f.PostAsync(a, $"b{i:D2}");
        });
        // Jetstream replays events with time_us >= cursor: the cursor's own event comes again.
        List<JsonElement> replayed = await Commits(replay, 7 + 10);
        await writes.WaitAsync(TimeSpan.FromSeconds(60));
        string[] expected = [.. Enumerable.Range(5, 7).Select(i => $"a{i:D2}"), .. Enumerable.Range(0, 10).Select(i => $"b{i:D2}")];
        Assert.Equal(expected, replayed.Select(e => Commit(e).GetProperty("rkey").GetString()!).ToArray());
        // The replayed part is the same events (same time_us, same bytes) the live subscriber saw.
        for (int i = 0; i < 7; i++)
            Assert.Equal(seen[5 + i].GetRawText(), replayed[i].GetRawText());
        for (int i = 1; i < replayed.Count; i++)
            Assert.True(replayed[i].GetProperty("time_us").GetInt64() > replayed[i - 1].GetProperty("time_us").GetInt64());
        // Nothing more (no duplicate after the cut-over).
        Assert.Null(await replay.ReceiveJsonAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Identity_and_account_events_pass_collection_filters()
    {
        await using var f = new JetstreamFixture();
        TestAccount a = await f.CreateAccountAsync();
        using JetstreamClient client = await f.SubscribeAsync("?wantedCollections=app.bsky.feed.post");
        await f.Sequencer.AppendEventAsync(a.Id, new Alteran.Protocol.Sync.IdentityEvent { Did = a.Did, Handle = "alice.test", Time = DateTimeOffset.UtcNow });
        await f.Sequencer.AppendEventAsync(a.Id, new Alteran.Protocol.Sync.AccountEvent { Did = a.Did, Active = false, Status = "deactivated", Time = DateTimeOffset.UtcNow });
        JsonElement identity = await client.ReceiveAsync();
        Assert.Equal("identity", Kind(identity));
        Assert.Equal("alice.test", identity.GetProperty("identity").GetProperty("handle").GetString());
        Assert.Equal(a.Did, identity.GetProperty("identity").GetProperty("did").GetString());
        JsonElement account = await client.ReceiveAsync();
        Assert.Equal("account", Kind(account));
        Assert.False(account.GetProperty("account").GetProperty("active").GetBoolean());
        Assert.Equal("deactivated", account.GetProperty("account").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("?wantedCollections=not!valid", "invalid collection")]
    [InlineData("?wantedDids=nope", "invalid DID")]
    [InlineData("?cursor=abc", "invalid cursor")]
    [InlineData("?wantedCollections=%ZZ", "percent-encoding")]
    public async Task Bad_params_answer_400_before_the_upgrade(string query, string reason)
    {
        await using var f = new JetstreamFixture();
        using RawClient raw = await f.Server.ConnectAsync();
        await raw.SendAsync($"GET {JetstreamSubscription.Path}{query} HTTP/1.1\r\n{Upgrade}");
        RawResponse response = await raw.ReadResponseAsync();
        Assert.Equal(400, response.Status);
        Assert.Contains("InvalidRequest", response.Text);
        Assert.Contains(reason, response.Text);
        Assert.Equal(0, f.Jetstream.SubscriberCount);
    }

    [Fact]
    public async Task Invalid_options_update_closes_with_the_reason()
    {
        await using var f = new JetstreamFixture();
        using JetstreamClient client = await f.SubscribeAsync();
        await client.SendTextAsync("""{"type":"options_update","payload":{"wantedCollections":["bad!"]}}""");
        Assert.Null(await client.ReceiveJsonAsync());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.Socket.CloseStatus);
        Assert.Contains("invalid collection", client.Socket.CloseStatusDescription);
    }
}
