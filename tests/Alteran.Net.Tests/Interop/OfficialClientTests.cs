using System.Net;
using System.Text.Json;
using Alteran.Net.Tests.Pds;

namespace Alteran.Net.Tests.Interop;

/// <summary>
/// The real server driven by the official TypeScript client (@atproto/api AtpAgent) and its repo verified by the
/// official @atproto/repo, both as Node child processes (tests/interop); results are cross-checked through our API.
/// </summary>
public sealed class OfficialClientTests
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(90);

    // A secp256k1 key that is not the server's (generated once with @atproto/crypto).
    private const string ForeignDidKey = "did:key:zQ3shSdrjp2prJ5caQtwq463qmgagjVwbfseuZypBMZRSPnLa";

    /// <summary>
    /// The host name (hence did:web and the didDoc's #atproto_pds endpoint) carries the real port: AtpAgent follows
    /// the session's didDoc, so the endpoint must point back at this server.
    /// </summary>
    private static Task<PdsTestHost> StartAsync()
    {
        int port = NodeInterop.FreeLoopbackPort();
        return PdsTestHost.StartAsync(o =>
        {
            o.Listen = new IPEndPoint(IPAddress.Loopback, port);
            o.Hostname = $"localhost:{port}";
        });
    }

    private static string BaseUrl(PdsTestHost host) => host.Http.BaseAddress!.ToString().TrimEnd('/');

    [Fact]
    public async Task AtpAgent_runs_every_repo_operation_and_the_results_are_visible_through_our_api()
    {
        string node = NodeInterop.NodePath; // fail fast with the install hint before starting a server
        Assert.NotEmpty(node);
        await using PdsTestHost host = await StartAsync();

        NodeResult client = await NodeInterop.RunAsync("client.mjs", [BaseUrl(host), host.Pds.Handle, host.Password], ScriptTimeout);
        Assert.True(client.ExitCode == 0, client.Describe());
        JsonElement result = client.Json;
        Assert.True(result.GetProperty("ok").GetBoolean(), client.Describe());
        Assert.Equal(host.Pds.Did, result.GetProperty("did").GetString());
        Assert.Equal(host.Pds.Handle, result.GetProperty("handle").GetString());

        // Every record the client kept is served by our getRecord with the same CID the client saw.
        var kept = new List<string>();
        foreach (JsonElement uri in result.GetProperty("kept").EnumerateArray())
        {
            kept.Add(uri.GetString()!);
            Reply r = await host.GetAsync(GetRecordPath(uri.GetString()!));
            Assert.True(r.Status == 200, $"{uri}: {r.Status} {r.Body}\n{client.Describe()}");
        }
        Assert.Equal(5, kept.Count);
        JsonElement edited = result.GetProperty("edited");
        Reply editedReply = await host.GetAsync(GetRecordPath(edited.GetProperty("uri").GetString()!));
        Assert.Equal(edited.GetProperty("cid").GetString(), editedReply.Str("cid"));
        Assert.Equal("edited by putRecord", editedReply.Json.GetProperty("value").GetProperty("text").GetString());

        // Deleted records are gone.
        foreach (JsonElement uri in result.GetProperty("deleted").EnumerateArray())
        {
            Reply r = await host.GetAsync(GetRecordPath(uri.GetString()!));
            Assert.True(r.Status == 400 && r.Error == "RecordNotFound", $"{uri} still readable: {r.Status} {r.Body}");
        }

        // The image post references the uploaded blob.
        string imagePost = kept[3];
        Reply image = await host.GetAsync(GetRecordPath(imagePost));
        JsonElement blob = image.Json.GetProperty("value").GetProperty("embed").GetProperty("images")[0].GetProperty("image");
        Assert.Equal(result.GetProperty("blob").GetProperty("cid").GetString(), blob.GetProperty("ref").GetProperty("$link").GetString());
        Assert.Equal("image/png", blob.GetProperty("mimeType").GetString());

        // The applyWrites commit is an ancestor-or-equal of the head: its rev is not newer than the latest one.
        Reply latest = await host.GetAsync($"xrpc/com.atproto.sync.getLatestCommit?did={Uri.EscapeDataString(host.Pds.Did)}");
        Assert.Equal(200, latest.Status);
        string applyRev = result.GetProperty("applyWrites").GetProperty("commit").GetProperty("rev").GetString()!;
        Assert.True(string.CompareOrdinal(applyRev, latest.Str("rev")) < 0, $"applyWrites rev {applyRev} < head {latest.Str("rev")}");

        // Now the official repo library verifies the whole repo (CIDs, signature, MST root) on its own.
        NodeResult verify = await NodeInterop.RunAsync("verify-repo.mjs", [BaseUrl(host), host.Pds.Did], ScriptTimeout);
        Assert.True(verify.ExitCode == 0, verify.Describe());
        JsonElement v = verify.Json;
        Assert.Equal(latest.Str("cid"), v.GetProperty("root").GetString());
        Assert.Equal(latest.Str("rev"), v.GetProperty("rev").GetString());
        var inCar = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonElement uri in v.GetProperty("records").EnumerateArray())
            inCar.Add(uri.GetString()!);
        foreach (string uri in kept)
            Assert.Contains(uri, inCar);
        foreach (JsonElement uri in result.GetProperty("deleted").EnumerateArray())
            Assert.DoesNotContain(uri.GetString()!, inCar);

        // And the firehose replay from cursor 0 decodes and verifies with the official packages up to the same head.
        NodeResult firehose = await NodeInterop.RunAsync("firehose.mjs", [BaseUrl(host), host.Pds.Did], ScriptTimeout);
        Assert.True(firehose.ExitCode == 0, firehose.Describe());
        JsonElement f = firehose.Json;
        Assert.Equal(latest.Str("cid"), f.GetProperty("head").GetProperty("cid").GetString());
        // The client made 9 commits carrying 11 ops (8 single writes, 1 applyWrites batch of 3); all must be replayed.
        Assert.True(f.GetProperty("commits").GetInt32() >= 9, firehose.Describe());
        Assert.True(f.GetProperty("ops").GetInt32() >= 11, firehose.Describe());
    }

    [Fact]
    public async Task Official_repo_verification_rejects_a_foreign_signing_key()
    {
        string node = NodeInterop.NodePath;
        Assert.NotEmpty(node);
        await using PdsTestHost host = await StartAsync();
        (string access, _) = await host.LoginOkAsync();
        Reply created = await host.PostAsync("xrpc/com.atproto.repo.createRecord",
            JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["repo"] = host.Pds.Did,
                ["collection"] = "app.bsky.feed.post",
                ["record"] = new Dictionary<string, string> { ["$type"] = "app.bsky.feed.post", ["text"] = "signed", ["createdAt"] = "2026-01-01T00:00:00.000Z" },
            }), access);
        Assert.True(created.Status == 200, created.Body);

        // Control: with the DID document's key the same repo verifies...
        NodeResult good = await NodeInterop.RunAsync("verify-repo.mjs", [BaseUrl(host), host.Pds.Did], ScriptTimeout);
        Assert.True(good.ExitCode == 0, good.Describe());

        // ...and with another key the signature check fails, so a pass above means something.
        NodeResult bad = await NodeInterop.RunAsync("verify-repo.mjs", [BaseUrl(host), host.Pds.Did, ForeignDidKey], ScriptTimeout);
        Assert.True(bad.ExitCode == 1, bad.Describe());
        Assert.Equal("verifyRepo", bad.Json.GetProperty("step").GetString());
        Assert.Contains("Invalid signature", bad.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static string GetRecordPath(string atUri)
    {
        // at://did/collection/rkey
        string[] parts = atUri["at://".Length..].Split('/');
        Assert.Equal(3, parts.Length);
        return $"xrpc/com.atproto.repo.getRecord?repo={Uri.EscapeDataString(parts[0])}&collection={parts[1]}&rkey={parts[2]}";
    }
}
