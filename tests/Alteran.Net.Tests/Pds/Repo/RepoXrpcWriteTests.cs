using System.Text;
using System.Text.Json;
using Alteran.Net.Pds.Repo;
using Alteran.Protocol.Syntax;

namespace Alteran.Net.Tests.Pds.Repo;

public sealed class RepoXrpcWriteTests
{
    private static string Post(string did, string text, string? rkey = null, string? extra = null) =>
        $$$"""{"repo":"{{{did}}}","collection":"app.bsky.feed.post"{{{(rkey is null ? "" : $",\"rkey\":\"{rkey}\"")}}}{{{extra ?? ""}}},"record":{"$type":"app.bsky.feed.post","text":"{{{text}}}","createdAt":"2024-01-01T00:00:00.000Z"}}""";

    [Fact]
    public async Task CreateRecord_ThenReadBack_ViaGetRecordAndListRecords()
    {
        await using var f = PdsRepoFixture.Start();
        PdsTestAccount a = await f.CreateAccountAsync();
        var rkeys = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            JsonElement created = await PdsRepoFixture.OkJsonAsync(await f.PostJsonAsync("com.atproto.repo.createRecord", Post(a.Did, "hello " + i), a));
            string uri = created.GetProperty("uri").GetString()!;
            Assert.StartsWith($"at://{a.Did}/app.bsky.feed.post/", uri);
            string rkey = uri[(uri.LastIndexOf('/') + 1)..];
            Assert.True(Tid.IsValid(rkey));
            Assert.Equal("valid", created.GetProperty("validationStatus").GetString());
            Assert.Equal(f.Repo.GetLatestCommit(a.Id)!.Value.Commit.ToString(), created.GetProperty("commit").GetProperty("cid").GetString());
            rkeys.Add(rkey);
        }
        for (int i = 1; i < rkeys.Count; i++)
            Assert.True(string.CompareOrdinal(rkeys[i - 1], rkeys[i]) < 0, "generated TIDs must increase");

        JsonElement got = await PdsRepoFixture.OkJsonAsync(await f.GetAsync($"com.atproto.repo.getRecord?repo={a.Handle}&collection=app.bsky.feed.post&rkey={rkeys[2]}"));
        Assert.Equal("hello 2", got.GetProperty("value").GetProperty("text").GetString());
        Assert.Equal("app.bsky.feed.post", got.GetProperty("value").GetProperty("$type").GetString());
        string cid = got.GetProperty("cid").GetString()!;
        await PdsRepoFixture.OkJsonAsync(await f.GetAsync($"com.atproto.repo.getRecord?repo={a.Did}&collection=app.bsky.feed.post&rkey={rkeys[2]}&cid={cid}"));
        string otherCid = (await PdsRepoFixture.OkJsonAsync(await f.GetAsync($"com.atproto.repo.getRecord?repo={a.Did}&collection=app.bsky.feed.post&rkey={rkeys[1]}"))).GetProperty("cid").GetString()!;
        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync($"com.atproto.repo.getRecord?repo={a.Did}&collection=app.bsky.feed.post&rkey={rkeys[2]}&cid={otherCid}"), 400, "RecordNotFound");
        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync($"com.atproto.repo.getRecord?repo={a.Did}&collection=app.bsky.feed.post&rkey=3zzzzzzzzzzzz"), 400, "RecordNotFound");

        // Default order is newest first; pages of 2 with a cursor cover everything once.
        var seen = new List<string>();
        string? cursor = null;
        for (int page = 0; page < 10; page++)
        {
            JsonElement list = await PdsRepoFixture.OkJsonAsync(await f.GetAsync(
                $"com.atproto.repo.listRecords?repo={a.Did}&collection=app.bsky.feed.post&limit=2" + (cursor is null ? "" : "&cursor=" + cursor)));
            foreach (JsonElement r in list.GetProperty("records").EnumerateArray())
            {
                string uri = r.GetProperty("uri").GetString()!;
                seen.Add(uri[(uri.LastIndexOf('/') + 1)..]);
                Assert.StartsWith("hello ", r.GetProperty("value").GetProperty("text").GetString());
            }
            if (!list.TryGetProperty("cursor", out JsonElement c))
                break;
            cursor = c.GetString();
        }
        var expected = new List<string>(rkeys);
        expected.Reverse();
        Assert.Equal(expected, seen);

        JsonElement asc = await PdsRepoFixture.OkJsonAsync(await f.GetAsync($"com.atproto.repo.listRecords?repo={a.Did}&collection=app.bsky.feed.post&reverse=true&limit=100"));
        Assert.Equal(rkeys[0], asc.GetProperty("records")[0].GetProperty("uri").GetString()![^13..]);
        Assert.False(asc.TryGetProperty("cursor", out _));

        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync($"com.atproto.repo.listRecords?repo={a.Did}&collection=app.bsky.feed.post&limit=101"), 400, "InvalidRequest");
        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync($"com.atproto.repo.listRecords?repo={a.Did}&collection=app.bsky.feed.post&limit=0"), 400, "InvalidRequest");
        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync($"com.atproto.repo.listRecords?repo=did:plc:nobodynobodynobody&collection=app.bsky.feed.post"), 400, "InvalidRequest");

        JsonElement describe = await PdsRepoFixture.OkJsonAsync(await f.GetAsync($"com.atproto.repo.describeRepo?repo={a.Handle}"));
        Assert.Equal(a.Did, describe.GetProperty("did").GetString());
        Assert.Equal(a.Handle, describe.GetProperty("handle").GetString());
        Assert.Equal(new[] { "app.bsky.feed.post" }, describe.GetProperty("collections").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    [Fact]
    public async Task Validation_FollowsTheValidateFlag()
    {
        await using var f = PdsRepoFixture.Start();
        PdsTestAccount a = await f.CreateAccountAsync();
        // Invalid against the schema (no createdAt).
        await PdsRepoFixture.AssertErrorAsync(await f.PostJsonAsync("com.atproto.repo.createRecord",
            $$$"""{"repo":"{{{a.Did}}}","collection":"app.bsky.feed.post","record":{"text":"x"}}""", a), 400, "InvalidRecord");
        // Not the atproto data model (floats), even unvalidated.
        await PdsRepoFixture.AssertErrorAsync(await f.PostJsonAsync("com.atproto.repo.createRecord",
            $$$"""{"repo":"{{{a.Did}}}","collection":"com.example.thing","validate":false,"record":{"n":1.5}}""", a), 400, "InvalidRecord");
        // Wrong $type.
        await PdsRepoFixture.AssertErrorAsync(await f.PostJsonAsync("com.atproto.repo.createRecord",
            $$$"""{"repo":"{{{a.Did}}}","collection":"app.bsky.feed.post","record":{"$type":"app.bsky.feed.like","text":"x","createdAt":"2024-01-01T00:00:00.000Z"}}""", a), 400, "InvalidRecord");
        // Unknown collection: validate=true refuses, absent accepts as "unknown", false does not report a status.
        await PdsRepoFixture.AssertErrorAsync(await f.PostJsonAsync("com.atproto.repo.createRecord",
            $$$"""{"repo":"{{{a.Did}}}","collection":"com.example.thing","validate":true,"record":{"n":1}}""", a), 400, "InvalidRequest");
        JsonElement unknown = await PdsRepoFixture.OkJsonAsync(await f.PostJsonAsync("com.atproto.repo.createRecord",
            $$$"""{"repo":"{{{a.Did}}}","collection":"com.example.thing","record":{"n":1}}""", a));
        Assert.Equal("unknown", unknown.GetProperty("validationStatus").GetString());
        JsonElement skipped = await PdsRepoFixture.OkJsonAsync(await f.PostJsonAsync("com.atproto.repo.createRecord",
            $$$"""{"repo":"{{{a.Did}}}","collection":"app.bsky.feed.post","validate":false,"record":{"text":"no date"}}""", a));
        Assert.False(skipped.TryGetProperty("validationStatus", out _));

        // A missing $type is filled in.
        string uri = unknown.GetProperty("uri").GetString()!;
        JsonElement read = await PdsRepoFixture.OkJsonAsync(await f.GetAsync($"com.atproto.repo.getRecord?repo={a.Did}&collection=com.example.thing&rkey={uri[^13..]}"));
        Assert.Equal("com.example.thing", read.GetProperty("value").GetProperty("$type").GetString());

        // Record key type: app.bsky.actor.profile is literal:self.
        await PdsRepoFixture.AssertErrorAsync(await f.PostJsonAsync("com.atproto.repo.putRecord",
            $$$"""{"repo":"{{{a.Did}}}","collection":"app.bsky.actor.profile","rkey":"other","record":{"displayName":"x"}}""", a), 400, "InvalidRequest");
        await PdsRepoFixture.OkJsonAsync(await f.PostJsonAsync("com.atproto.repo.putRecord",
            $$$"""{"repo":"{{{a.Did}}}","collection":"app.bsky.actor.profile","rkey":"self","record":{"displayName":"x"}}""", a));
        // Bad rkey syntax, bad collection, bad JSON.
        await PdsRepoFixture.AssertErrorAsync(await f.PostJsonAsync("com.atproto.repo.createRecord", Post(a.Did, "x", rkey: "a/b"), a), 400, "InvalidRequest");
        await PdsRepoFixture.AssertErrorAsync(await f.PostJsonAsync("com.atproto.repo.createRecord",
            $$$"""{"repo":"{{{a.Did}}}","collection":"not an nsid","record":{}}""", a), 400, "InvalidRequest");
        await PdsRepoFixture.AssertErrorAsync(await f.PostJsonAsync("com.atproto.repo.createRecord", "{\"repo\":", a), 400, "InvalidRequest");
    }

    [Fact]
    public async Task PutAndDelete_WithSwaps()
    {
        await using var f = PdsRepoFixture.Start();
        PdsTestAccount a = await f.CreateAccountAsync();
        JsonElement first = await PdsRepoFixture.OkJsonAsync(await f.PostJsonAsync("com.atproto.repo.putRecord", Post(a.Did, "v1", rkey: "3jzfcijpj2z2a"), a));
        string cid1 = first.GetProperty("cid").GetString()!;
        string commit1 = first.GetProperty("commit").GetProperty("cid").GetString()!;

        // swapRecord null = must not exist: fails now that it exists.
        await PdsRepoFixture.AssertErrorAsync(await f.PostJsonAsync("com.atproto.repo.putRecord",
            Post(a.Did, "v2", rkey: "3jzfcijpj2z2a", extra: ",\"swapRecord\":null"), a), 400, "InvalidSwap");
        await PdsRepoFixture.AssertErrorAsync(await f.PostJsonAsync("com.atproto.repo.putRecord",
            Post(a.Did, "v2", rkey: "3jzfcijpj2z2a", extra: ",\"swapRecord\":\"bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm\""), a), 400, "InvalidSwap");
        JsonElement second = await PdsRepoFixture.OkJsonAsync(await f.PostJsonAsync("com.atproto.repo.putRecord",
            Post(a.Did, "v2", rkey: "3jzfcijpj2z2a", extra: $",\"swapRecord\":\"{cid1}\",\"swapCommit\":\"{commit1}\""), a));
        string cid2 = second.GetProperty("cid").GetString()!;
        Assert.NotEqual(cid1, cid2);
        // The commit moved: the old swapCommit is stale.
        await PdsRepoFixture.AssertErrorAsync(await f.PostJsonAsync("com.atproto.repo.createRecord",
            Post(a.Did, "v3", extra: $",\"swapCommit\":\"{commit1}\""), a), 400, "InvalidSwap");
        JsonElement read = await PdsRepoFixture.OkJsonAsync(await f.GetAsync($"com.atproto.repo.getRecord?repo={a.Did}&collection=app.bsky.feed.post&rkey=3jzfcijpj2z2a"));
        Assert.Equal("v2", read.GetProperty("value").GetProperty("text").GetString());

        await PdsRepoFixture.AssertErrorAsync(await f.PostJsonAsync("com.atproto.repo.deleteRecord",
            $$$"""{"repo":"{{{a.Did}}}","collection":"app.bsky.feed.post","rkey":"3jzfcijpj2z2a","swapRecord":"{{{cid1}}}"}""", a), 400, "InvalidSwap");
        JsonElement deleted = await PdsRepoFixture.OkJsonAsync(await f.PostJsonAsync("com.atproto.repo.deleteRecord",
            $$$"""{"repo":"{{{a.Did}}}","collection":"app.bsky.feed.post","rkey":"3jzfcijpj2z2a","swapRecord":"{{{cid2}}}"}""", a));
        Assert.Equal(f.Repo.GetLatestCommit(a.Id)!.Value.Commit.ToString(), deleted.GetProperty("commit").GetProperty("cid").GetString());
        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync($"com.atproto.repo.getRecord?repo={a.Did}&collection=app.bsky.feed.post&rkey=3jzfcijpj2z2a"), 400, "RecordNotFound");
        // Deleting a missing record is a no-op success without a commit.
        JsonElement again = await PdsRepoFixture.OkJsonAsync(await f.PostJsonAsync("com.atproto.repo.deleteRecord",
            $$$"""{"repo":"{{{a.Did}}}","collection":"app.bsky.feed.post","rkey":"3jzfcijpj2z2a"}""", a));
        Assert.False(again.TryGetProperty("commit", out _));
    }

    [Fact]
    public async Task ApplyWrites_MixedBatch_AndLimits()
    {
        await using var f = PdsRepoFixture.Start(new RepoXrpcOptions { MaxWriteBodyBytes = 64 * 1024 });
        PdsTestAccount a = await f.CreateAccountAsync();
        await PdsRepoFixture.OkJsonAsync(await f.PostJsonAsync("com.atproto.repo.putRecord", Post(a.Did, "old", rkey: "3jzfcijpj2z2b"), a));
        string body = $$$"""
            {"repo":"{{{a.Did}}}","writes":[
              {"$type":"com.atproto.repo.applyWrites#create","collection":"app.bsky.feed.post","value":{"text":"new","createdAt":"2024-01-01T00:00:00.000Z"}},
              {"$type":"com.atproto.repo.applyWrites#create","collection":"app.bsky.feed.post","rkey":"3jzfcijpj2z2c","value":{"text":"named","createdAt":"2024-01-01T00:00:00.000Z"}},
              {"$type":"com.atproto.repo.applyWrites#update","collection":"app.bsky.feed.post","rkey":"3jzfcijpj2z2c","value":{"text":"dup","createdAt":"2024-01-01T00:00:00.000Z"}}
            ]}
            """;
        // Two writes to one path are refused as a whole.
        await PdsRepoFixture.AssertErrorAsync(await f.PostJsonAsync("com.atproto.repo.applyWrites", body, a), 400, "InvalidRequest");
        body = body.Replace("""{"$type":"com.atproto.repo.applyWrites#update","collection":"app.bsky.feed.post","rkey":"3jzfcijpj2z2c","value":{"text":"dup","createdAt":"2024-01-01T00:00:00.000Z"}}""",
            """{"$type":"com.atproto.repo.applyWrites#delete","collection":"app.bsky.feed.post","rkey":"3jzfcijpj2z2b"}""");
        JsonElement result = await PdsRepoFixture.OkJsonAsync(await f.PostJsonAsync("com.atproto.repo.applyWrites", body, a));
        JsonElement[] results = result.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(3, results.Length);
        Assert.Equal("com.atproto.repo.applyWrites#createResult", results[0].GetProperty("$type").GetString());
        Assert.Equal("valid", results[0].GetProperty("validationStatus").GetString());
        Assert.Equal($"at://{a.Did}/app.bsky.feed.post/3jzfcijpj2z2c", results[1].GetProperty("uri").GetString());
        Assert.Equal("com.atproto.repo.applyWrites#deleteResult", results[2].GetProperty("$type").GetString());
        JsonElement list = await PdsRepoFixture.OkJsonAsync(await f.GetAsync($"com.atproto.repo.listRecords?repo={a.Did}&collection=app.bsky.feed.post"));
        string[] texts = list.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("value").GetProperty("text").GetString()!).Order().ToArray();
        Assert.Equal(["named", "new"], texts);

        // Over 200 writes; an unknown write type; a body over the route limit (413).
        var many = new StringBuilder($$$"""{"repo":"{{{a.Did}}}","writes":[""");
        for (int i = 0; i < 201; i++)
            many.Append(i == 0 ? "" : ",").Append("""{"$type":"com.atproto.repo.applyWrites#delete","collection":"app.bsky.feed.post","rkey":"x"}""");
        many.Append("]}");
        await PdsRepoFixture.AssertErrorAsync(await f.PostJsonAsync("com.atproto.repo.applyWrites", many.ToString(), a), 400, "InvalidRequest");
        await PdsRepoFixture.AssertErrorAsync(await f.PostJsonAsync("com.atproto.repo.applyWrites",
            $$$"""{"repo":"{{{a.Did}}}","writes":[{"$type":"com.atproto.repo.applyWrites#frob","collection":"app.bsky.feed.post","rkey":"x"}]}""", a), 400, "InvalidRequest");
        string huge = Post(a.Did, new string('a', 70 * 1024));
        Assert.Equal(413, (int)(await f.PostJsonAsync("com.atproto.repo.createRecord", huge, a)).StatusCode);
    }

    [Fact]
    public async Task Writes_RequireTheRepoOwnersToken()
    {
        await using var f = PdsRepoFixture.Start();
        PdsTestAccount a = await f.CreateAccountAsync();
        PdsTestAccount b = await f.CreateAccountAsync();
        await PdsRepoFixture.AssertErrorAsync(await f.PostJsonAsync("com.atproto.repo.createRecord", Post(a.Did, "x"), null), 401, "AuthenticationRequired");
        await PdsRepoFixture.AssertErrorAsync(await f.PostJsonAsync("com.atproto.repo.createRecord", Post(a.Did, "x"), b), 401, "AuthenticationRequired");
        await PdsRepoFixture.AssertErrorAsync(await f.PostJsonAsync("com.atproto.repo.createRecord", Post(a.Handle, "x"), b), 401, "AuthenticationRequired");
        await PdsRepoFixture.AssertErrorAsync(await f.PostJsonAsync("com.atproto.repo.createRecord", Post("did:plc:unknownunknownunknown", "x"), b), 400, "InvalidRequest");
        await PdsRepoFixture.AssertErrorAsync(await f.PostJsonAsync("com.atproto.repo.deleteRecord",
            $$$"""{"repo":"{{{a.Did}}}","collection":"app.bsky.feed.post","rkey":"x"}""", b), 401, "AuthenticationRequired");
        await PdsRepoFixture.AssertErrorAsync(await f.PostJsonAsync("com.atproto.repo.applyWrites",
            $$$"""{"repo":"{{{a.Did}}}","writes":[]}""", null), 401, "AuthenticationRequired");
        // The handle works as the repo identifier for its owner.
        await PdsRepoFixture.OkJsonAsync(await f.PostJsonAsync("com.atproto.repo.createRecord", Post(a.Handle, "mine"), a));
        Assert.Empty(f.Repo.ListRecords(b.Id, "app.bsky.feed.post", 10));
        Assert.Single(f.Repo.ListRecords(a.Id, "app.bsky.feed.post", 10));
    }
}
