using System.Text.Json;
using Alteran.Storage.Accounts;

namespace Alteran.Net.Tests.Pds.Repo;

public sealed class SyncListingTests
{
    [Fact]
    public async Task ListRepos_PagesThroughHostedRepos_WithStatus()
    {
        await using var f = PdsRepoFixture.Start();
        PdsTestAccount a = await f.CreateAccountAsync();
        PdsTestAccount b = await f.CreateAccountAsync();
        PdsTestAccount c = await f.CreateAccountAsync();
        PdsTestAccount d = await f.CreateAccountAsync();
        await f.Store.DeleteAccountAsync(b.Id);
        AccountRow row = f.Store.GetAccount(c.Id)!;
        row.Status = AccountStatus.Deactivated;
        await f.Store.UpdateAccountAsync(row);

        var seen = new List<JsonElement>();
        string? cursor = null;
        for (int page = 0; page < 10; page++)
        {
            JsonElement list = await PdsRepoFixture.OkJsonAsync(await f.GetAsync("com.atproto.sync.listRepos?limit=1" + (cursor is null ? "" : "&cursor=" + cursor)));
            seen.AddRange(list.GetProperty("repos").EnumerateArray());
            if (!list.TryGetProperty("cursor", out JsonElement next))
                break;
            cursor = next.GetString();
        }
        Assert.Equal([a.Did, c.Did, d.Did], seen.Select(r => r.GetProperty("did").GetString()!).ToArray());
        Assert.Equal(f.Repo.GetLatestCommit(a.Id)!.Value.Commit.ToString(), seen[0].GetProperty("head").GetString());
        Assert.Equal(f.Repo.GetLatestCommit(a.Id)!.Value.Rev, seen[0].GetProperty("rev").GetString());
        Assert.True(seen[0].GetProperty("active").GetBoolean());
        Assert.False(seen[1].GetProperty("active").GetBoolean());
        Assert.Equal("deactivated", seen[1].GetProperty("status").GetString());

        JsonElement all = await PdsRepoFixture.OkJsonAsync(await f.GetAsync("com.atproto.sync.listRepos"));
        Assert.Equal(3, all.GetProperty("repos").GetArrayLength());
        Assert.False(all.TryGetProperty("cursor", out _));
        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync("com.atproto.sync.listRepos?cursor=-5"), 400, "InvalidRequest");
        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync("com.atproto.sync.listRepos?limit=1001"), 400, "InvalidRequest");
    }

    [Fact]
    public async Task ListBlobs_ListsReferencedBlobsInCidOrder()
    {
        await using var f = PdsRepoFixture.Start();
        PdsTestAccount a = await f.CreateAccountAsync();
        var referenced = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            byte[] gif = [.. "GIF89a"u8, (byte)i, 1, 2, 3];
            JsonElement blob = (await PdsRepoFixture.OkJsonAsync(await f.PostBytesAsync("com.atproto.repo.uploadBlob", gif, "image/gif", a))).GetProperty("blob");
            if (i == 3)
                break; // uploaded, never referenced
            referenced.Add(blob.GetProperty("ref").GetProperty("$link").GetString()!);
            string post = $$$"""
                {"repo":"{{{a.Did}}}","collection":"app.bsky.feed.post","record":{"text":"pic","createdAt":"2024-01-01T00:00:00.000Z",
                 "embed":{"$type":"app.bsky.embed.images","images":[{"alt":"","image":{{{blob.GetRawText()}}} }]} }}
                """;
            await PdsRepoFixture.OkJsonAsync(await f.PostJsonAsync("com.atproto.repo.createRecord", post, a));
        }
        // Binary CID order (the store's index order; the reference sorts the text form, the order is not specified).
        referenced.Sort((x, y) => Alteran.Protocol.Cid.Parse(x).CompareTo(Alteran.Protocol.Cid.Parse(y)));

        var seen = new List<string>();
        string? cursor = null;
        for (int page = 0; page < 10; page++)
        {
            JsonElement list = await PdsRepoFixture.OkJsonAsync(await f.GetAsync($"com.atproto.sync.listBlobs?did={a.Did}&limit=2" + (cursor is null ? "" : "&cursor=" + cursor)));
            seen.AddRange(list.GetProperty("cids").EnumerateArray().Select(e => e.GetString()!));
            if (!list.TryGetProperty("cursor", out JsonElement next))
                break;
            cursor = next.GetString();
        }
        Assert.Equal(referenced, seen);
        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync("com.atproto.sync.listBlobs?did=did:plc:unknownunknownunknown"), 400, "RepoNotFound");
        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync($"com.atproto.sync.listBlobs?did={a.Did}&cursor=notacid"), 400, "InvalidRequest");
        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync($"com.atproto.sync.listBlobs?did={a.Did}&since=notatid"), 400, "InvalidRequest");
    }
}
