namespace Alteran.Net.Tests.Pds;

public sealed class IdentityAndPreferencesTests
{
    [Fact]
    public async Task WellKnown_DidDocumentAndAtprotoDid()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        Reply doc = await host.GetAsync(".well-known/did.json");
        Assert.Equal(200, doc.Status);
        Assert.Equal(host.Pds.Did, doc.Str("id"));
        Assert.Equal("at://alice.test", doc.Json.GetProperty("alsoKnownAs")[0].GetString());
        var vm = doc.Json.GetProperty("verificationMethod")[0];
        Assert.Equal(host.Pds.Did + "#atproto", vm.GetProperty("id").GetString());
        Assert.Equal("Multikey", vm.GetProperty("type").GetString());
        Assert.True(Protocol.Crypto.PublicKey.TryFromMultibase(vm.GetProperty("publicKeyMultibase").GetString(), out var key));
        Assert.Equal(host.Pds.SigningKey.PublicKey, key);
        var service = doc.Json.GetProperty("service")[0];
        Assert.Equal("#atproto_pds", service.GetProperty("id").GetString());
        Assert.Equal("AtprotoPersonalDataServer", service.GetProperty("type").GetString());
        Assert.Equal("http://localhost:2583", service.GetProperty("serviceEndpoint").GetString());

        Reply plain = await host.GetAsync(".well-known/atproto-did");
        Assert.Equal(200, plain.Status);
        Assert.Equal("text/plain", plain.MediaType);
        Assert.Equal(host.Pds.Did, plain.Body);
    }

    [Fact]
    public async Task ResolveHandle_OwnOnly()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        Reply own = await host.GetAsync("xrpc/com.atproto.identity.resolveHandle?handle=Alice.Test");
        Assert.Equal(200, own.Status);
        Assert.Equal(host.Pds.Did, own.Str("did"));
        Reply other = await host.GetAsync("xrpc/com.atproto.identity.resolveHandle?handle=bob.test");
        Assert.Equal(400, other.Status);
        Assert.Equal("HandleNotFound", other.Error);
        Assert.Equal("InvalidRequest", (await host.GetAsync("xrpc/com.atproto.identity.resolveHandle?handle=not_a_handle")).Error);
        Assert.Equal(400, (await host.GetAsync("xrpc/com.atproto.identity.resolveHandle")).Status);
    }

    [Fact]
    public async Task UpdateHandle_ValidatesPersistsAndSurvivesRestart()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        (string access, _) = await host.LoginOkAsync();
        Assert.Equal(401, (await host.PostAsync("xrpc/com.atproto.identity.updateHandle", "{\"handle\":\"carol.test\"}")).Status);
        Assert.Equal("InvalidHandle", (await host.PostAsync("xrpc/com.atproto.identity.updateHandle", "{\"handle\":\"bad handle\"}", access)).Error);
        Assert.Equal("InvalidHandle", (await host.PostAsync("xrpc/com.atproto.identity.updateHandle", "{\"handle\":\"carol.local\"}", access)).Error);
        Assert.Equal(200, (await host.PostAsync("xrpc/com.atproto.identity.updateHandle", "{\"handle\":\"Carol.Test\"}", access)).Status);
        Assert.Equal(host.Pds.Did, (await host.GetAsync("xrpc/com.atproto.identity.resolveHandle?handle=carol.test")).Str("did"));
        Assert.Equal("HandleNotFound", (await host.GetAsync("xrpc/com.atproto.identity.resolveHandle?handle=alice.test")).Error);
        Assert.Equal("at://carol.test", (await host.GetAsync(".well-known/did.json")).Json.GetProperty("alsoKnownAs")[0].GetString());

        await host.RestartAsync();
        Assert.Equal("carol.test", host.Pds.Handle);
        Assert.Equal(200, (await host.LoginAsync("carol.test", host.Password)).Status);
    }

    [Fact]
    public async Task Preferences_RoundTripAndValidation()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        (string access, _) = await host.LoginOkAsync();
        Reply empty = await host.GetAsync("xrpc/app.bsky.actor.getPreferences", access);
        Assert.Equal(200, empty.Status);
        Assert.Equal(0, empty.Json.GetProperty("preferences").GetArrayLength());
        Assert.Equal(401, (await host.GetAsync("xrpc/app.bsky.actor.getPreferences")).Status);

        const string prefs = "{\"preferences\":[{\"$type\":\"app.bsky.actor.defs#adultContentPref\",\"enabled\":true},{\"$type\":\"app.bsky.actor.defs#savedFeedsPrefV2\",\"items\":[]}]}";
        Assert.Equal(200, (await host.PostAsync("xrpc/app.bsky.actor.putPreferences", prefs, access)).Status);
        Reply got = await host.GetAsync("xrpc/app.bsky.actor.getPreferences", access);
        Assert.Equal(2, got.Json.GetProperty("preferences").GetArrayLength());
        Assert.True(got.Json.GetProperty("preferences")[0].GetProperty("enabled").GetBoolean());

        Assert.Equal(400, (await host.PostAsync("xrpc/app.bsky.actor.putPreferences", "{\"preferences\":[{\"enabled\":true}]}", access)).Status);
        Assert.Equal(400, (await host.PostAsync("xrpc/app.bsky.actor.putPreferences", "{\"preferences\":[{\"$type\":\"com.example.x\"}]}", access)).Status);
        Assert.Equal(400, (await host.PostAsync("xrpc/app.bsky.actor.putPreferences", "{\"preferences\":{}}", access)).Status);
        Assert.Equal(400, (await host.PostAsync("xrpc/app.bsky.actor.putPreferences", "[1,", access)).Status);
        string deep = "{\"preferences\":[" + new string('[', 100) + new string(']', 100) + "]}";
        Assert.Equal(400, (await host.PostAsync("xrpc/app.bsky.actor.putPreferences", deep, access)).Status);
        string big = "{\"preferences\":[{\"$type\":\"app.bsky.x\",\"v\":\"" + new string('a', 64 * 1024) + "\"}]}";
        Assert.Equal(413, (await host.PostAsync("xrpc/app.bsky.actor.putPreferences", big, access)).Status);
        Assert.Equal(401, (await host.PostAsync("xrpc/app.bsky.actor.putPreferences", prefs)).Status);

        await host.RestartAsync();
        (access, _) = await host.LoginOkAsync();
        Assert.Equal(2, (await host.GetAsync("xrpc/app.bsky.actor.getPreferences", access)).Json.GetProperty("preferences").GetArrayLength());
    }
}

public sealed class AccountEventTests
{
    private static List<(string Kind, string? Handle)> Events(PdsTestHost host)
    {
        var list = new List<(string, string?)>();
        using var cursor = host.Pds.Store.ReadEvents(0);
        for (int i = 0; i < 1000 && cursor.MoveNext(); i++)
        {
            var frame = Protocol.Sync.FirehoseFrame.Decode(cursor.Frame.ToArray(), Protocol.Sync.FirehoseDecodeMode.Strict);
            list.Add((frame.Type!, frame.Identity?.Handle));
        }
        return list;
    }

    [Fact]
    public async Task AccountCreation_LogsIdentityAccountCommitSync_UpdateHandleLogsIdentity()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        var events = Events(host);
        Assert.Equal(["#identity", "#account", "#commit", "#sync"], events.ConvertAll(e => e.Kind));
        Assert.Equal("alice.test", events[0].Handle);

        (string access, _) = await host.LoginOkAsync();
        Assert.Equal(200, (await host.PostAsync("xrpc/com.atproto.identity.updateHandle", "{\"handle\":\"dave.test\"}", access)).Status);
        events = Events(host);
        Assert.Equal(("#identity", "dave.test"), events[^1]);

        await host.RestartAsync(); // nothing changed: no new events
        Assert.Equal(5, Events(host).Count);
    }
}
