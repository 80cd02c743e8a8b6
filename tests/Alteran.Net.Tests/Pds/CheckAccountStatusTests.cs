using System.Net.Http.Headers;
using System.Text.Json;
using Alteran.Protocol;
using Alteran.Protocol.Car;

namespace Alteran.Net.Tests.Pds;

/// <summary>checkAccountStatus counts against counts derived independently through the public API (the exported
/// CAR, listRecords, listBlobs, the uploads made), on the real server.</summary>
public sealed class CheckAccountStatusTests
{
    private static async Task<string> UploadAsync(PdsTestHost host, string access, byte[] bytes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "xrpc/com.atproto.repo.uploadBlob") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/gif");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
        using HttpResponseMessage response = await host.Http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("blob").GetRawText();
    }

    private static async Task<string> CreateAsync(PdsTestHost host, string access, string collection, string record)
    {
        Reply r = await host.PostAsync("xrpc/com.atproto.repo.createRecord",
            $$"""{"repo":"{{host.Pds.Did}}","collection":"{{collection}}","record":{{record}}}""", access);
        Assert.True(r.Status == 200, r.Body);
        string uri = r.Str("uri");
        return uri[(uri.LastIndexOf('/') + 1)..];
    }

    [Fact]
    public async Task CheckAccountStatus_CountsMatchTheExportedRepoAndListings()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        (string access, _) = await host.LoginOkAsync();
        string did = host.Pds.Did;
        var rkeys = new List<string>();
        for (int i = 0; i < 12; i++)
            rkeys.Add(await CreateAsync(host, access, "app.bsky.feed.post", $$"""{"$type":"app.bsky.feed.post","text":"p{{i}}","createdAt":"2026-01-01T00:00:00.000Z"}"""));
        for (int i = 0; i < 3; i++)
            await CreateAsync(host, access, "app.bsky.feed.like", $$"""{"$type":"app.bsky.feed.like","subject":{"uri":"at://{{did}}/app.bsky.feed.post/{{rkeys[i]}}","cid":"bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm"},"createdAt":"2026-01-01T00:00:00.000Z"}""");
        string blob1 = await UploadAsync(host, access, [.. "GIF89a"u8, 1, 2, 3]);
        string blob2 = await UploadAsync(host, access, [.. "GIF89a"u8, 4, 5, 6]);
        await UploadAsync(host, access, [.. "GIF89a"u8, 7, 8, 9]); // uploaded, never referenced
        foreach (string blob in new[] { blob1, blob2, blob1 }) // blob1 referenced twice: one expected blob
            await CreateAsync(host, access, "app.bsky.feed.post",
                $$$"""{"$type":"app.bsky.feed.post","text":"pic","createdAt":"2026-01-01T00:00:00.000Z","embed":{"$type":"app.bsky.embed.images","images":[{"alt":"","image":{{{blob}}} }]}}""");
        Reply deleted = await host.PostAsync("xrpc/com.atproto.repo.deleteRecord",
            $$"""{"repo":"{{did}}","collection":"app.bsky.feed.post","rkey":"{{rkeys[5]}}"}""", access);
        Assert.Equal(200, deleted.Status);

        Reply status = await host.GetAsync("xrpc/com.atproto.server.checkAccountStatus", access);
        Assert.Equal(200, status.Status);
        JsonElement s = status.Json;

        // repoBlocks = the blocks of the whole exported repo.
        byte[] car = await host.Http.GetByteArrayAsync($"xrpc/com.atproto.sync.getRepo?did={Uri.EscapeDataString(did)}");
        var reader = new CarSpanReader(car);
        int carBlocks = 0;
        while (reader.TryReadBlock(out _, out _)) carBlocks++;
        Assert.Equal(carBlocks, s.GetProperty("repoBlocks").GetInt64());

        // indexedRecords = every record listRecords returns, over describeRepo's collections.
        long listed = 0;
        Reply describe = await host.GetAsync($"xrpc/com.atproto.repo.describeRepo?repo={Uri.EscapeDataString(did)}");
        foreach (JsonElement collection in describe.Json.GetProperty("collections").EnumerateArray())
        {
            Reply page = await host.GetAsync($"xrpc/com.atproto.repo.listRecords?repo={Uri.EscapeDataString(did)}&collection={collection.GetString()}&limit=100");
            listed += page.Json.GetProperty("records").GetArrayLength();
        }
        Assert.Equal(12 + 3 + 3 - 1, listed); // posts, likes, picture posts, one deleted
        Assert.Equal(listed, s.GetProperty("indexedRecords").GetInt64());

        // expectedBlobs = distinct referenced blobs (listBlobs), importedBlobs = every stored upload.
        Reply blobs = await host.GetAsync($"xrpc/com.atproto.sync.listBlobs?did={Uri.EscapeDataString(did)}");
        Assert.Equal(2, blobs.Json.GetProperty("cids").GetArrayLength());
        Assert.Equal(2, s.GetProperty("expectedBlobs").GetInt64());
        Assert.Equal(3, s.GetProperty("importedBlobs").GetInt64());
        Assert.Equal(0, s.GetProperty("privateStateValues").GetInt64()); // as the reference (see ServerRoutes)
        Assert.Equal(host.Pds.Repo.GetLatestCommit(host.Pds.AccountId)!.Value.Commit.ToString(), s.GetProperty("repoCommit").GetString());
    }
}
