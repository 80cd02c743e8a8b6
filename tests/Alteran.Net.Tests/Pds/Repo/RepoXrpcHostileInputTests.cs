using System.Text;

namespace Alteran.Net.Tests.Pds.Repo;

/// <summary>Malformed and hostile requests get 4xx XRPC errors, never a 500, and change nothing.</summary>
public sealed class RepoXrpcHostileInputTests
{
    [Fact]
    public async Task HostileWriteBodies_Get4xx_AndWriteNothing()
    {
        await using var f = PdsRepoFixture.Start();
        PdsTestAccount a = await f.CreateAccountAsync();
        var head = f.Repo.GetLatestCommit(a.Id);
        string deep = new StringBuilder().Insert(0, "{\"a\":", 300).Append('1').Append('}', 300).ToString();
        string[] bodies =
        [
            "", "null", "[]", "42", "\"x\"", "{", "{\"repo\":1}", $"{{\"repo\":\"{a.Did}\"}}",
            $"{{\"repo\":\"{a.Did}\",\"collection\":\"app.bsky.feed.post\",\"record\":[]}}",
            $"{{\"repo\":\"{a.Did}\",\"collection\":\"app.bsky.feed.post\",\"record\":\"x\"}}",
            $"{{\"repo\":\"{a.Did}\",\"collection\":\"com.example.x\",\"validate\":\"yes\",\"record\":{{}}}}",
            $"{{\"repo\":\"{a.Did}\",\"collection\":\"com.example.x\",\"record\":{deep}}}",
            $"{{\"repo\":\"{a.Did}\",\"collection\":\"com.example.x\",\"record\":{{\"$type\":7}}}}",
            $"{{\"repo\":\"{a.Did}\",\"collection\":\"com.example.x\",\"record\":{{\"b\":{{\"$bytes\":\"!!!\"}}}}}}",
            $"{{\"repo\":\"{a.Did}\",\"collection\":\"com.example.x\",\"record\":{{\"l\":{{\"$link\":\"nope\"}}}}}}",
            $"{{\"repo\":\"{a.Did}\",\"collection\":\"com.example.x\",\"record\":{{\"n\":1e400}}}}",
            $"{{\"repo\":\"{a.Did}\",\"collection\":\"com.example.x\",\"swapCommit\":\"nope\",\"record\":{{}}}}",
            $"{{\"repo\":\"{a.Did}\",\"collection\":\"com.example.x\",\"rkey\":\"..\",\"record\":{{}}}}",
            $"{{\"repo\":\"{a.Did}\",\"collection\":\"com.example.x\",\"rkey\":\"{new string('a', 600)}\",\"record\":{{}}}}",
            $"{{\"repo\":\"{a.Did}\",\"writes\":{{}}}}",
            $"{{\"repo\":\"{a.Did}\",\"writes\":[1]}}",
            $"{{\"repo\":\"{a.Did}\",\"writes\":[{{\"$type\":\"com.atproto.repo.applyWrites#update\",\"collection\":\"com.example.x\",\"rkey\":\"k\",\"value\":{{}}}}]}}",
        ];
        foreach (string nsid in new[] { "createRecord", "putRecord", "deleteRecord", "applyWrites" })
        {
            foreach (string body in bodies)
            {
                using HttpResponseMessage response = await f.PostJsonAsync("com.atproto.repo." + nsid, body, a);
                int status = (int)response.StatusCode;
                Assert.True(status is >= 400 and < 500, $"{nsid} {body[..Math.Min(body.Length, 80)]}: {status} {await response.Content.ReadAsStringAsync()}");
            }
        }
        Assert.Equal(head, f.Repo.GetLatestCommit(a.Id));
        // Invalid UTF-8 in the body.
        using HttpResponseMessage bad = await f.PostBytesAsync("com.atproto.repo.createRecord", [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D], "application/json", a);
        Assert.Equal(400, (int)bad.StatusCode);
    }

    [Fact]
    public async Task HostileQueries_Get4xx()
    {
        await using var f = PdsRepoFixture.Start();
        PdsTestAccount a = await f.CreateAccountAsync();
        string[] queries =
        [
            "com.atproto.repo.getRecord", "com.atproto.repo.getRecord?repo=%ZZ&collection=a.b.c&rkey=x",
            $"com.atproto.repo.getRecord?repo={a.Did}&collection=..&rkey=x",
            $"com.atproto.repo.getRecord?repo={a.Did}&collection=app.bsky.feed.post&rkey=a%2Fb",
            $"com.atproto.repo.getRecord?repo={a.Did}&collection=app.bsky.feed.post&rkey=x&cid=zzz",
            $"com.atproto.repo.listRecords?repo={a.Did}&collection=app.bsky.feed.post&limit=abc",
            $"com.atproto.repo.listRecords?repo={a.Did}&collection=app.bsky.feed.post&reverse=maybe",
            $"com.atproto.repo.listRecords?repo={a.Did}&collection=app.bsky.feed.post&cursor=a%2Fb",
            "com.atproto.repo.describeRepo?repo=not..a..handle",
            $"com.atproto.sync.getRecord?did={a.Did}&collection=app.bsky.feed.post&rkey=..",
            $"com.atproto.sync.getRecord?did={a.Did}&collection=app.bsky.feed.post",
            $"com.atproto.sync.getBlob?did={a.Did}",
            $"com.atproto.sync.getBlocks?did={a.Did}&cids=" + string.Join("&cids=", Enumerable.Repeat("x", 1001)),
            $"com.atproto.sync.getRepo.json?did=nope",
            $"com.atproto.sync.getCheckout.json?did=nope",
            $"com.atproto.sync.getBlocks.json?did={a.Did}&cids=,,,",
            $"com.atproto.sync.getBlocks.json?did={a.Did}&cids=" + string.Join(",", Enumerable.Repeat("x", 1001)),
            $"com.atproto.sync.getBlocks.json?did={a.Did}&cids=" + string.Join("&cids=", Enumerable.Repeat("x", 1001)),
        ];
        foreach (string query in queries)
        {
            using HttpResponseMessage response = await f.GetAsync(query);
            int status = (int)response.StatusCode;
            Assert.True(status is >= 400 and < 500, $"{query[..Math.Min(query.Length, 100)]}: {status} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
