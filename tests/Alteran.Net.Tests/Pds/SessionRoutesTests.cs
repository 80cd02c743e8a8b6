using System.Text.Json;
using Alteran.Net.Auth;

namespace Alteran.Net.Tests.Pds;

public sealed class SessionRoutesTests
{
    [Fact]
    public async Task CreateSession_ByHandleOrDid_ReturnsTokensAndDidDoc()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        foreach (string identifier in new[] { "alice.test", "ALICE.test", host.Pds.Did })
        {
            Reply r = await host.LoginAsync(identifier, host.Password);
            Assert.Equal(200, r.Status);
            Assert.Equal(host.Pds.Did, r.Str("did"));
            Assert.Equal("alice.test", r.Str("handle"));
            Assert.True(r.Json.GetProperty("active").GetBoolean());
            Assert.Equal(host.Pds.Did, r.Json.GetProperty("didDoc").GetProperty("id").GetString());
            Assert.Equal(200, (await host.GetAsync("xrpc/com.atproto.server.getSession", r.Str("accessJwt"))).Status);
        }
    }

    [Fact]
    public async Task CreateSession_WrongPasswordOrUnknownIdentifier_Is401_MissingFieldsIs400()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        Reply wrong = await host.LoginAsync("alice.test", host.Password + "x");
        Assert.Equal(401, wrong.Status);
        Assert.Equal("AuthenticationRequired", wrong.Error);
        Reply unknown = await host.LoginAsync("bob.test", host.Password);
        Assert.Equal(401, unknown.Status);
        Reply missing = await host.PostAsync("xrpc/com.atproto.server.createSession", "{\"identifier\":\"alice.test\"}");
        Assert.Equal(400, missing.Status);
        Reply notJson = await host.PostAsync("xrpc/com.atproto.server.createSession", "{nope");
        Assert.Equal(400, notJson.Status);
        Assert.Equal("InvalidRequest", notJson.Error);
    }

    [Fact]
    public async Task CreateSession_LocksOutAfterFiveFailures_UntilWindowPasses()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        for (int i = 0; i < 5; i++)
            Assert.Equal(401, (await host.LoginAsync("alice.test", "wrong-" + i)).Status);
        Reply locked = await host.LoginAsync(host.Pds.Did, host.Password); // any identifier of the account
        Assert.Equal(429, locked.Status);
        Assert.Equal("RateLimitExceeded", locked.Error);
        host.Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(200, (await host.LoginAsync("alice.test", host.Password)).Status);
    }

    [Fact]
    public async Task GetSession_AuthErrors()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync(accessLifetime: TimeSpan.FromMinutes(1));
        (string access, string refresh) = await host.LoginOkAsync();

        Reply none = await host.GetAsync("xrpc/com.atproto.server.getSession");
        Assert.Equal(401, none.Status);
        Assert.Equal("AuthenticationRequired", none.Error);

        Reply garbage = await host.GetAsync("xrpc/com.atproto.server.getSession", "not.a.jwt");
        Assert.Equal(400, garbage.Status);
        Assert.Equal("InvalidToken", garbage.Error);

        Reply tampered = await host.GetAsync("xrpc/com.atproto.server.getSession", access[..^2] + (access[^2] == 'A' ? "BA" : "AA"));
        Assert.Equal("InvalidToken", tampered.Error);

        Reply refreshAsAccess = await host.GetAsync("xrpc/com.atproto.server.getSession", refresh);
        Assert.Equal("InvalidToken", refreshAsAccess.Error);

        Reply ok = await host.GetAsync("xrpc/com.atproto.server.getSession", access);
        Assert.Equal(200, ok.Status);
        Assert.Equal("alice.test", ok.Str("handle"));
        Assert.False(ok.Json.TryGetProperty("accessJwt", out _));

        host.Clock.Advance(TimeSpan.FromMinutes(2));
        Reply expired = await host.GetAsync("xrpc/com.atproto.server.getSession", access);
        Assert.Equal(400, expired.Status);
        Assert.Equal("ExpiredToken", expired.Error);
    }

    [Fact]
    public async Task RefreshSession_RotatesWithGrace_LateReuseRevokesChain()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        (string access, string refresh) = await host.LoginOkAsync();

        Reply first = await host.PostAsync("xrpc/com.atproto.server.refreshSession", null, refresh);
        Assert.Equal(200, first.Status);
        string next = first.Str("refreshJwt");
        Assert.NotEqual(refresh, next);
        Assert.Equal(200, (await host.GetAsync("xrpc/com.atproto.server.getSession", first.Str("accessJwt"))).Status);

        // A retry within the grace period gets the same next pair.
        Reply retry = await host.PostAsync("xrpc/com.atproto.server.refreshSession", null, refresh);
        Assert.Equal(200, retry.Status);
        Assert.Equal(next, retry.Str("refreshJwt"));

        // The access token must not work as a refresh token.
        Assert.Equal("InvalidToken", (await host.PostAsync("xrpc/com.atproto.server.refreshSession", null, access)).Error);
        Assert.Equal(401, (await host.PostAsync("xrpc/com.atproto.server.refreshSession", null)).Status);

        // After the grace period the old token is treated as stolen: the whole chain, including `next`, dies.
        host.Clock.Advance(TimeSpan.FromHours(3));
        Reply late = await host.PostAsync("xrpc/com.atproto.server.refreshSession", null, refresh);
        Assert.Equal(400, late.Status);
        Assert.Equal("ExpiredToken", late.Error);
        Reply successor = await host.PostAsync("xrpc/com.atproto.server.refreshSession", null, next);
        Assert.Equal(400, successor.Status);
        Assert.Equal("ExpiredToken", successor.Error);
    }

    [Fact]
    public async Task RefreshSession_SurvivesRestart()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        (_, string refresh) = await host.LoginOkAsync();
        await host.RestartAsync();
        Assert.Equal(200, (await host.PostAsync("xrpc/com.atproto.server.refreshSession", null, refresh)).Status);
    }

    [Fact]
    public async Task DeleteSession_RevokesRefresh()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        (_, string refresh) = await host.LoginOkAsync();
        (_, string other) = await host.LoginOkAsync();
        Assert.Equal(200, (await host.PostAsync("xrpc/com.atproto.server.deleteSession", null, refresh)).Status);
        Assert.Equal("ExpiredToken", (await host.PostAsync("xrpc/com.atproto.server.refreshSession", null, refresh)).Error);
        Assert.Equal(200, (await host.PostAsync("xrpc/com.atproto.server.deleteSession", null, refresh)).Status); // idempotent
        Assert.Equal(200, (await host.PostAsync("xrpc/com.atproto.server.refreshSession", null, other)).Status); // other sessions live
        Assert.Equal("InvalidToken", (await host.PostAsync("xrpc/com.atproto.server.deleteSession", null, "x.y.z")).Error);
    }

    [Fact]
    public async Task DescribeServer_UnknownMethod_OversizedBody()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        Reply d = await host.GetAsync("xrpc/com.atproto.server.describeServer");
        Assert.Equal(200, d.Status);
        Assert.Equal(host.Pds.ServiceDid, d.Str("did"));
        Assert.Equal(JsonValueKind.Array, d.Json.GetProperty("availableUserDomains").ValueKind);

        Reply unknown = await host.GetAsync("xrpc/com.atproto.server.noSuchMethod");
        Assert.Equal(404, unknown.Status);
        Assert.Equal("MethodNotImplemented", unknown.Error);

        string big = "{\"identifier\":\"alice.test\",\"password\":\"" + new string('a', 64 * 1024) + "\"}";
        Reply tooBig = await host.PostAsync("xrpc/com.atproto.server.createSession", big);
        Assert.Equal(413, tooBig.Status);
    }

    [Fact]
    public async Task CheckAccountStatus_ReportsRepoHead()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        (string access, _) = await host.LoginOkAsync();
        Reply r = await host.GetAsync("xrpc/com.atproto.server.checkAccountStatus", access);
        Assert.Equal(200, r.Status);
        var head = host.Pds.Repo.GetLatestCommit(host.Pds.AccountId)!.Value;
        Assert.Equal(head.Commit.ToString(), r.Str("repoCommit"));
        Assert.Equal(head.Rev, r.Str("repoRev"));
        Assert.True(r.Json.GetProperty("activated").GetBoolean());
        Assert.Equal(0, r.Json.GetProperty("indexedRecords").GetInt64());
        Assert.Equal(401, (await host.GetAsync("xrpc/com.atproto.server.checkAccountStatus")).Status);
    }
}

public sealed class PdsCompositionTests
{
    [Fact]
    public async Task ClientAddress_IsLockedOutAfterManyFailuresAcrossIdentifiers()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        for (int i = 0; i < 20; i++)
            Assert.Equal(401, (await host.LoginAsync($"nobody{i}.test", "wrong")).Status);
        Assert.Equal(429, (await host.LoginAsync("alice.test", host.Password)).Status);
    }

    [Fact]
    public async Task RepoRoutes_AreWired_WritesSurviveRestart()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        (string access, _) = await host.LoginOkAsync();
        string body = "{\"repo\":\"" + host.Pds.Did + "\",\"collection\":\"app.bsky.feed.post\",\"record\":{\"$type\":\"app.bsky.feed.post\",\"text\":\"hello\",\"createdAt\":\"2026-01-01T00:00:00.000Z\"}}";
        Reply created = await host.PostAsync("xrpc/com.atproto.repo.createRecord", body, access);
        Assert.True(created.Status == 200, created.Body);
        Assert.Equal(401, (await host.PostAsync("xrpc/com.atproto.repo.createRecord", body)).Status);
        var head = host.Pds.Repo.GetLatestCommit(host.Pds.AccountId);
        Reply status = await host.GetAsync("xrpc/com.atproto.server.checkAccountStatus", access);
        Assert.Equal(1, status.Json.GetProperty("indexedRecords").GetInt64());

        await host.RestartAsync();
        Assert.Equal(head, host.Pds.Repo.GetLatestCommit(host.Pds.AccountId));
        string uri = created.Str("uri");
        string rkey = uri[(uri.LastIndexOf('/') + 1)..];
        Reply got = await host.GetAsync($"xrpc/com.atproto.repo.getRecord?repo={Uri.EscapeDataString(host.Pds.Did)}&collection=app.bsky.feed.post&rkey={rkey}");
        Assert.True(got.Status == 200, got.Body);
        Assert.Equal("hello", got.Json.GetProperty("value").GetProperty("text").GetString());
    }
}

public sealed class SessionStoreTests
{
    [Fact]
    public async Task PruneExpired_DropsWholeExpiredChains_KeepsLiveOnes()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        (_, string oldRefresh) = await host.LoginOkAsync();
        host.Clock.Advance(TimeSpan.FromDays(60));
        (_, string liveRefresh) = await host.LoginOkAsync();
        Reply rotated = await host.PostAsync("xrpc/com.atproto.server.refreshSession", null, liveRefresh);
        Assert.Equal(200, rotated.Status);
        host.Clock.Advance(TimeSpan.FromDays(31)); // the first chain is past 90 days, the second is not

        Assert.Equal(1, host.Pds.Sessions.PruneExpired(host.Pds.Did, host.Clock.UnixSeconds));
        Assert.Equal(0, host.Pds.Sessions.PruneExpired(host.Pds.Did, host.Clock.UnixSeconds));
        Assert.Equal(200, (await host.PostAsync("xrpc/com.atproto.server.refreshSession", null, rotated.Str("refreshJwt"))).Status);
        Assert.Equal(400, (await host.PostAsync("xrpc/com.atproto.server.refreshSession", null, oldRefresh)).Status);

        // Revoking everything still reaches the live chain after its first token was rotated away.
        host.Pds.Sessions.RevokeAllForDid(host.Pds.Did);
        Assert.Equal("ExpiredToken", (await host.PostAsync("xrpc/com.atproto.server.refreshSession", null, rotated.Str("refreshJwt"))).Error);
    }
}
