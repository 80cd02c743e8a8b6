using Alteran.Net.Auth;

namespace Alteran.Net.Tests.Pds;

public sealed class AppPasswordAndServiceAuthTests
{
    [Fact]
    public async Task AppPassword_CreateLoginListRevoke()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        (string access, _) = await host.LoginOkAsync();

        Reply created = await host.PostAsync("xrpc/com.atproto.server.createAppPassword", "{\"name\":\"phone\"}", access);
        Assert.Equal(200, created.Status);
        string appPassword = created.Str("password");
        Assert.True(AppPassword.IsWellFormed(appPassword));
        Assert.Equal("phone", created.Str("name"));

        Reply dup = await host.PostAsync("xrpc/com.atproto.server.createAppPassword", "{\"name\":\"phone\"}", access);
        Assert.Equal(400, dup.Status);
        Assert.Equal(400, (await host.PostAsync("xrpc/com.atproto.server.createAppPassword", "{\"name\":\"  \"}", access)).Status);

        Reply list = await host.GetAsync("xrpc/com.atproto.server.listAppPasswords", access);
        Assert.Equal(200, list.Status);
        Assert.Equal(1, list.Json.GetProperty("passwords").GetArrayLength());
        Assert.False(list.Json.GetProperty("passwords")[0].TryGetProperty("password", out _));

        Reply appLogin = await host.LoginAsync("alice.test", appPassword);
        Assert.Equal(200, appLogin.Status);
        string appAccess = appLogin.Str("accessJwt");
        string appRefresh = appLogin.Str("refreshJwt");
        Assert.Equal(200, (await host.GetAsync("xrpc/com.atproto.server.getSession", appAccess)).Status);
        // App-password sessions cannot manage app passwords.
        Reply denied = await host.PostAsync("xrpc/com.atproto.server.createAppPassword", "{\"name\":\"x\"}", appAccess);
        Assert.Equal(400, denied.Status);
        Assert.Equal("InvalidToken", denied.Error);

        Assert.Equal(200, (await host.PostAsync("xrpc/com.atproto.server.revokeAppPassword", "{\"name\":\"phone\"}", access)).Status);
        Assert.Equal(401, (await host.LoginAsync("alice.test", appPassword)).Status);
        Assert.Equal("ExpiredToken", (await host.PostAsync("xrpc/com.atproto.server.refreshSession", null, appRefresh)).Error);
        Assert.Equal(0, (await host.GetAsync("xrpc/com.atproto.server.listAppPasswords", access)).Json.GetProperty("passwords").GetArrayLength());
    }

    [Fact]
    public async Task GetServiceAuth_SignsWithRepoKey()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        (string access, _) = await host.LoginOkAsync();
        long exp = host.Clock.UnixSeconds + 120;
        Reply r = await host.GetAsync($"xrpc/com.atproto.server.getServiceAuth?aud=did:web:api.bsky.app&lxm=app.bsky.feed.getTimeline&exp={exp}", access);
        Assert.Equal(200, r.Status);
        string token = r.Str("token");
        Assert.Equal(JwtError.None, Jwt.VerifyEcdsaSignature(token, host.Pds.SigningKey.PublicKey));
        Assert.Equal(JwtError.None, Jwt.TryReadUnverified(token, out JwtAlgorithm alg, out _, out JwtClaims? claims));
        Assert.Equal(JwtAlgorithm.ES256K, alg);
        Assert.Equal(host.Pds.Did, claims!.Iss);
        Assert.Equal("did:web:api.bsky.app", claims.Aud);
        Assert.Equal("app.bsky.feed.getTimeline", claims.Lxm);
        Assert.Equal(exp, claims.Exp);

        Assert.Equal(401, (await host.GetAsync("xrpc/com.atproto.server.getServiceAuth?aud=did:web:api.bsky.app")).Status);
        Assert.Equal(400, (await host.GetAsync("xrpc/com.atproto.server.getServiceAuth", access)).Status);
        Assert.Equal(400, (await host.GetAsync("xrpc/com.atproto.server.getServiceAuth?aud=notadid", access)).Status);
        Reply tooLong = await host.GetAsync($"xrpc/com.atproto.server.getServiceAuth?aud=did:web:x.example&lxm=app.bsky.feed.getTimeline&exp={host.Clock.UnixSeconds + 7200}", access);
        Assert.Equal("BadExpiration", tooLong.Error);
        Reply protectedMethod = await host.GetAsync("xrpc/com.atproto.server.getServiceAuth?aud=did:web:x.example&lxm=com.atproto.server.createAppPassword", access);
        Assert.Equal(400, protectedMethod.Status);
        Reply badExp = await host.GetAsync("xrpc/com.atproto.server.getServiceAuth?aud=did:web:x.example&exp=soon", access);
        Assert.Equal(400, badExp.Status);
    }
}
