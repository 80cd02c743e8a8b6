using System.Text.Json;
using Alteran.Net.Pds.Repo;

namespace Alteran.Net.Tests.Pds.Repo;

public sealed class RepoXrpcBlobTests
{
    private static byte[] Png(int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        ReadOnlySpan<byte> magic = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        magic.CopyTo(bytes);
        return bytes;
    }

    [Fact]
    public async Task UploadBlob_ReferenceInPost_GetBlobServesSameBytesWithHeaders()
    {
        await using var f = PdsRepoFixture.Start();
        PdsTestAccount a = await f.CreateAccountAsync();
        byte[] png = Png(300_000);
        // The declared type is ignored: the content decides.
        JsonElement uploaded = await PdsRepoFixture.OkJsonAsync(await f.PostBytesAsync("com.atproto.repo.uploadBlob", png, "text/html", a));
        JsonElement blob = uploaded.GetProperty("blob");
        Assert.Equal("blob", blob.GetProperty("$type").GetString());
        Assert.Equal("image/png", blob.GetProperty("mimeType").GetString());
        Assert.Equal(png.Length, blob.GetProperty("size").GetInt64());
        string cid = blob.GetProperty("ref").GetProperty("$link").GetString()!;
        Assert.Equal(Alteran.Protocol.Cid.ForRaw(png).ToString(), cid);

        // Not public until a record references it.
        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync($"com.atproto.sync.getBlob?did={a.Did}&cid={cid}"), 400, "BlobNotFound");

        string post = $$$"""
            {"repo":"{{{a.Did}}}","collection":"app.bsky.feed.post","record":{"text":"pic","createdAt":"2024-01-01T00:00:00.000Z",
             "embed":{"$type":"app.bsky.embed.images","images":[{"alt":"","image":{{{blob.GetRawText()}}} }]} }}
            """;
        await PdsRepoFixture.OkJsonAsync(await f.PostJsonAsync("com.atproto.repo.createRecord", post, a));

        using HttpResponseMessage response = await f.GetAsync($"com.atproto.sync.getBlob?did={a.Did}&cid={cid}");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(png.Length, response.Content.Headers.ContentLength);
        Assert.Equal("default-src 'none'; sandbox", string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(png, await response.Content.ReadAsByteArrayAsync());

        // A record referencing a blob never uploaded is refused.
        string ghost = blob.GetRawText().Replace(cid, "bafkreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm");
        await PdsRepoFixture.AssertErrorAsync(await f.PostJsonAsync("com.atproto.repo.createRecord", post.Replace(blob.GetRawText(), ghost), a), 400, "InvalidRequest");
        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync($"com.atproto.sync.getBlob?did={a.Did}&cid=nonsense"), 400, "InvalidRequest");
        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync($"com.atproto.sync.getBlob?did=did:plc:unknownunknownunknown&cid={cid}"), 400, "RepoNotFound");
    }

    [Fact]
    public async Task UploadBlob_RefusesUnknownTypes_OversizedBodies_AndAnonymousCallers()
    {
        await using var f = PdsRepoFixture.Start(new RepoXrpcOptions { MaxBlobBytes = 10_000 });
        PdsTestAccount a = await f.CreateAccountAsync();
        await PdsRepoFixture.AssertErrorAsync(await f.PostBytesAsync("com.atproto.repo.uploadBlob", "<html><script>alert(1)</script></html>"u8.ToArray(), "image/png", a), 400, "InvalidRequest");
        await PdsRepoFixture.AssertErrorAsync(await f.PostBytesAsync("com.atproto.repo.uploadBlob", [], "image/png", a), 400, "InvalidRequest");
        Assert.Equal(413, (int)(await f.PostBytesAsync("com.atproto.repo.uploadBlob", Png(20_000), "image/png", a)).StatusCode);
        await PdsRepoFixture.AssertErrorAsync(await f.PostBytesAsync("com.atproto.repo.uploadBlob", Png(1000), "image/png", null), 401, "AuthenticationRequired");
        JsonElement ok = await PdsRepoFixture.OkJsonAsync(await f.PostBytesAsync("com.atproto.repo.uploadBlob", Png(10_000), "image/png", a));
        Assert.Equal(10_000, ok.GetProperty("blob").GetProperty("size").GetInt64());

        JsonElement missing = await PdsRepoFixture.OkJsonAsync(await SendAuthorizedGetAsync(f, "com.atproto.repo.listMissingBlobs", a));
        Assert.Equal(0, missing.GetProperty("blobs").GetArrayLength());
        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync("com.atproto.repo.listMissingBlobs"), 401, "AuthenticationRequired");
    }

    [Fact]
    public async Task UploadBlob_ChunkedBodyOverTheLimit_Is413()
    {
        await using var f = PdsRepoFixture.Start(new RepoXrpcOptions { MaxBlobBytes = 10_000 });
        PdsTestAccount a = await f.CreateAccountAsync();
        using var request = new HttpRequestMessage(System.Net.Http.HttpMethod.Post, "xrpc/com.atproto.repo.uploadBlob")
        {
            Content = new StreamContent(new MemoryStream(Png(50_000))), // no length: sent chunked
        };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", a.AccessJwt);
        HttpResponseMessage response;
        try
        {
            response = await f.Client.SendAsync(request);
        }
        catch (HttpRequestException)
        {
            return; // the server may close before the client finished sending; it must not have stored anything
        }
        finally
        {
            Assert.Equal(0, f.Store.GetBlobUsage(a.Id));
        }
        Assert.Equal(413, (int)response.StatusCode);
    }

    private static Task<HttpResponseMessage> SendAuthorizedGetAsync(PdsRepoFixture f, string nsid, PdsTestAccount a)
    {
        var request = new HttpRequestMessage(System.Net.Http.HttpMethod.Get, "xrpc/" + nsid);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", a.AccessJwt);
        return f.Client.SendAsync(request);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "image/jpeg")]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61 }, "image/gif")]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50 }, "image/webp")]
    [InlineData(new byte[] { 0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6F, 0x6D }, "video/mp4")]
    [InlineData(new byte[] { 0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x71, 0x74, 0x20, 0x20 }, "video/quicktime")]
    [InlineData(new byte[] { 0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x61, 0x76, 0x69, 0x66 }, "image/avif")]
    [InlineData(new byte[] { 0x1A, 0x45, 0xDF, 0xA3 }, "video/webm")]
    [InlineData(new byte[] { 0x3C, 0x73, 0x76, 0x67 }, null)] // <svg
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 1, 2 }, null)] // truncated RIFF
    [InlineData(new byte[] { 0xFF, 0xD8 }, null)]
    public void Sniffer_RecognisesMagicNumbers(byte[] prefix, string? expected) =>
        Assert.Equal(expected, BlobMimeSniffer.Sniff(prefix));
}
