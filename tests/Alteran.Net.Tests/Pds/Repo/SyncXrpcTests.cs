using System.Text.Json;
using Alteran.Protocol;
using Alteran.Protocol.Car;
using Alteran.Protocol.Repo;
using MstTree = Alteran.Protocol.Mst.Mst;

namespace Alteran.Net.Tests.Pds.Repo;

public sealed class SyncXrpcTests
{
    private static async Task<List<string>> WritePostsAsync(PdsRepoFixture f, PdsTestAccount a, int count)
    {
        var uris = new List<string>();
        for (int i = 0; i < count; i++)
        {
            JsonElement created = await PdsRepoFixture.OkJsonAsync(await f.PostJsonAsync("com.atproto.repo.createRecord",
                $$$"""{"repo":"{{{a.Did}}}","collection":"app.bsky.feed.post","record":{"text":"post {{{i}}}","createdAt":"2024-01-01T00:00:00.000Z"}}""", a));
            uris.Add(created.GetProperty("uri").GetString()!);
        }
        await PdsRepoFixture.OkJsonAsync(await f.PostJsonAsync("com.atproto.repo.putRecord",
            $$$"""{"repo":"{{{a.Did}}}","collection":"app.bsky.actor.profile","rkey":"self","record":{"displayName":"A"}}""", a));
        return uris;
    }

    private static BlockMap ReadCar(byte[] car, out CarHeader header)
    {
        var blocks = new BlockMap();
        var reader = new CarSpanReader(car);
        header = reader.Header;
        while (reader.TryReadBlock(out Cid cid, out ReadOnlySpan<byte> data))
        {
            // Every block must hash to its CID.
            Assert.Equal(cid, Cid.Compute(cid.Codec, data));
            blocks.Add(cid, data.ToArray());
        }
        Assert.Equal(car.Length, reader.BytesConsumed);
        return blocks;
    }

    [Fact]
    public async Task GetRepo_CarVerifies_MstRebuildsToCommitData_SignatureVerifies()
    {
        await using var f = PdsRepoFixture.Start();
        PdsTestAccount a = await f.CreateAccountAsync();
        List<string> uris = await WritePostsAsync(f, a, 40);

        using HttpResponseMessage response = await f.GetAsync($"com.atproto.sync.getRepo?did={a.Did}");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/vnd.ipld.car", response.Content.Headers.ContentType!.MediaType);
        BlockMap blocks = ReadCar(await response.Content.ReadAsByteArrayAsync(), out CarHeader header);

        Cid root = Assert.Single(header.Roots);
        Assert.Equal(f.Repo.GetLatestCommit(a.Id)!.Value.Commit, root);
        Assert.True(blocks.TryGetBlock(root, out ReadOnlyMemory<byte> commitBlock));
        Commit commit = Commit.Decode(commitBlock.Span);
        Assert.Equal(a.Did, commit.Did);
        Assert.True(commit.VerifySignature(a.Key.PublicKey));
        using (var other = Alteran.Protocol.Crypto.PrivateKey.Generate(Alteran.Protocol.Crypto.KeyAlgorithm.K256))
            Assert.False(commit.VerifySignature(other.PublicKey));

        // Walk the exported tree, rebuild it from its leaves alone, and compare roots.
        var exported = MstTree.Load(blocks, commit.Data);
        var leaves = exported.ToList();
        Assert.Equal(uris.Count + 1, leaves.Count);
        var rebuilt = MstTree.Create();
        foreach (var leaf in leaves)
        {
            Assert.True(blocks.Contains(leaf.Value), $"record block of {leaf.Key} is in the CAR");
            rebuilt.Add(leaf.Key, leaf.Value);
        }
        Assert.Equal(commit.Data, rebuilt.ComputeRoot());
        foreach (string uri in uris)
            Assert.Contains(leaves, l => uri.EndsWith("/" + l.Key, StringComparison.Ordinal));

        JsonElement latest = await PdsRepoFixture.OkJsonAsync(await f.GetAsync($"com.atproto.sync.getLatestCommit?did={a.Did}"));
        Assert.Equal(root.ToString(), latest.GetProperty("cid").GetString());
        Assert.Equal(commit.Rev, latest.GetProperty("rev").GetString());

        JsonElement status = await PdsRepoFixture.OkJsonAsync(await f.GetAsync($"com.atproto.sync.getRepoStatus?did={a.Did}"));
        Assert.True(status.GetProperty("active").GetBoolean());
        Assert.Equal(commit.Rev, status.GetProperty("rev").GetString());

        // A malformed "since" is refused (SyncSinceTests covers the diff itself).
        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync($"com.atproto.sync.getRepo?did={a.Did}&since=yesterday"), 400, "InvalidRequest");
    }

    [Fact]
    public async Task JsonViews_GetRepoAndCheckoutListEveryRecord_GetBlocksDecodesBlocks()
    {
        await using var f = PdsRepoFixture.Start();
        PdsTestAccount a = await f.CreateAccountAsync();
        List<string> uris = await WritePostsAsync(f, a, 25);
        JsonElement repo = await PdsRepoFixture.OkJsonAsync(await f.GetAsync($"com.atproto.sync.getRepo.json?did={a.Did}"));
        Assert.Equal(a.Did, repo.GetProperty("did").GetString());
        Assert.Equal(f.Repo.GetLatestCommit(a.Id)!.Value.Commit.ToString(), repo.GetProperty("head").GetString());
        string[] listed = repo.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("uri").GetString()!).ToArray();
        Assert.Equal(uris.Count + 1, listed.Length);
        foreach (string uri in uris)
            Assert.Contains(uri, listed);
        Assert.Contains($"at://{a.Did}/app.bsky.actor.profile/self", listed);
        Assert.Equal("A", repo.GetProperty("records")[0].GetProperty("value").GetProperty("displayName").GetString());
        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync("com.atproto.sync.getRepo.json?did=did:plc:unknownunknownunknown"), 400, "RepoNotFound");

        // getCheckout.json: Alteran's other name for the same view.
        JsonElement checkout = await PdsRepoFixture.OkJsonAsync(await f.GetAsync($"com.atproto.sync.getCheckout.json?did={a.Did}"));
        Assert.Equal(listed, checkout.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("uri").GetString()!).ToArray());

        // getBlocks.json: blocks as JSON, repeated and comma-separated cids, missing ones listed.
        string head = repo.GetProperty("head").GetString()!;
        string recordCid = repo.GetProperty("records")[0].GetProperty("cid").GetString()!;
        string absent = Alteran.Protocol.Cid.ForDagCbor("not in the repo"u8).ToString();
        JsonElement blocks = await PdsRepoFixture.OkJsonAsync(await f.GetAsync($"com.atproto.sync.getBlocks.json?did={a.Did}&cids={head},{absent}&cids={recordCid}"));
        JsonElement[] found = blocks.GetProperty("blocks").EnumerateArray().ToArray();
        Assert.Equal([head, recordCid], found.Select(b => b.GetProperty("cid").GetString()!).ToArray());
        Assert.Equal(a.Did, found[0].GetProperty("value").GetProperty("did").GetString());
        Assert.Equal(3, found[0].GetProperty("value").GetProperty("version").GetInt32());
        Assert.Equal("A", found[1].GetProperty("value").GetProperty("displayName").GetString());
        Assert.Equal([absent], blocks.GetProperty("missing").EnumerateArray().Select(m => m.GetString()!).ToArray());
        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync($"com.atproto.sync.getBlocks.json?did={a.Did}&cids=not-a-cid"), 400, "InvalidRequest");
        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync($"com.atproto.sync.getBlocks.json?did={a.Did}"), 400, "InvalidRequest");
    }

    [Theory]
    [InlineData(Alteran.Storage.Accounts.AccountStatus.Deactivated, "RepoDeactivated", "deactivated")]
    [InlineData(Alteran.Storage.Accounts.AccountStatus.Takendown, "RepoTakendown", "takendown")]
    [InlineData(Alteran.Storage.Accounts.AccountStatus.Suspended, "RepoSuspended", "suspended")]
    public async Task InactiveAccounts_AreNotServed_ButReportTheirStatus(Alteran.Storage.Accounts.AccountStatus status, string error, string statusText)
    {
        await using var f = PdsRepoFixture.Start();
        PdsTestAccount a = await f.CreateAccountAsync();
        await WritePostsAsync(f, a, 1);
        var row = f.Store.GetAccount(a.Id)!;
        row.Status = status;
        await f.Store.UpdateAccountAsync(row);

        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync($"com.atproto.sync.getRepo?did={a.Did}"), 400, error);
        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync($"com.atproto.sync.getLatestCommit?did={a.Did}"), 400, error);
        JsonElement repoStatus = await PdsRepoFixture.OkJsonAsync(await f.GetAsync($"com.atproto.sync.getRepoStatus?did={a.Did}"));
        Assert.False(repoStatus.GetProperty("active").GetBoolean());
        Assert.Equal(statusText, repoStatus.GetProperty("status").GetString());
        await PdsRepoFixture.AssertErrorAsync(await f.PostJsonAsync("com.atproto.repo.createRecord",
            $$$"""{"repo":"{{{a.Did}}}","collection":"app.bsky.feed.post","record":{"text":"x","createdAt":"2024-01-01T00:00:00.000Z"}}""", a), 400, "InvalidRequest");
    }

    [Fact]
    public async Task SyncReads_UnknownOrMissingDid()
    {
        await using var f = PdsRepoFixture.Start();
        foreach (string nsid in new[] { "getRepo", "getLatestCommit", "getRepoStatus", "getBlocks" })
        {
            await PdsRepoFixture.AssertErrorAsync(await f.GetAsync($"com.atproto.sync.{nsid}?did=did:plc:unknownunknownunknown"), 400, "RepoNotFound");
            await PdsRepoFixture.AssertErrorAsync(await f.GetAsync($"com.atproto.sync.{nsid}"), 400, "InvalidRequest");
            await PdsRepoFixture.AssertErrorAsync(await f.GetAsync($"com.atproto.sync.{nsid}?did=notadid"), 400, "InvalidRequest");
        }
        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync("com.atproto.sync.getRecord?did=did:plc:unknownunknownunknown&collection=app.bsky.feed.post&rkey=x"), 400, "RepoNotFound");
    }

    [Fact]
    public async Task GetRecordProof_AndGetBlocks()
    {
        await using var f = PdsRepoFixture.Start();
        PdsTestAccount a = await f.CreateAccountAsync();
        List<string> uris = await WritePostsAsync(f, a, 20);
        string rkey = uris[7][^13..];

        using HttpResponseMessage response = await f.GetAsync($"com.atproto.sync.getRecord?did={a.Did}&collection=app.bsky.feed.post&rkey={rkey}");
        Assert.Equal(200, (int)response.StatusCode);
        BlockMap proof = ReadCar(await response.Content.ReadAsByteArrayAsync(), out CarHeader header);
        Cid root = Assert.Single(header.Roots);
        Assert.True(proof.TryGetBlock(root, out ReadOnlyMemory<byte> commitBlock));
        Commit commit = Commit.Decode(commitBlock.Span);
        Assert.True(commit.VerifySignature(a.Key.PublicKey));
        // The proof alone resolves the path to the record.
        Assert.True(MstTree.Load(proof, commit.Data).TryGet("app.bsky.feed.post/" + rkey, out Cid recordCid));
        Assert.True(proof.TryGetBlock(recordCid, out _));
        Assert.True(f.Repo.TryGetRecord(a.Id, "app.bsky.feed.post", rkey, out Cid stored, out _));
        Assert.Equal(stored, recordCid);

        // getBlocks: exactly the requested blocks; any missing one fails the request.
        JsonElement latest = await PdsRepoFixture.OkJsonAsync(await f.GetAsync($"com.atproto.sync.getLatestCommit?did={a.Did}"));
        string commitCid = latest.GetProperty("cid").GetString()!;
        using HttpResponseMessage blocksResponse = await f.GetAsync($"com.atproto.sync.getBlocks?did={a.Did}&cids={commitCid}&cids={recordCid}");
        Assert.Equal(200, (int)blocksResponse.StatusCode);
        BlockMap got = ReadCar(await blocksResponse.Content.ReadAsByteArrayAsync(), out CarHeader blocksHeader);
        Assert.Empty(blocksHeader.Roots);
        Assert.Equal(2, got.Count);
        Assert.True(got.Contains(Cid.Parse(commitCid)) && got.Contains(recordCid));
        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync(
            $"com.atproto.sync.getBlocks?did={a.Did}&cids={commitCid}&cids=bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm"), 400, "BlockNotFound");
        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync($"com.atproto.sync.getBlocks?did={a.Did}&cids=junk"), 400, "InvalidRequest");
    }
}
