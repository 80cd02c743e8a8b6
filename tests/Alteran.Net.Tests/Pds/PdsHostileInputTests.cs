using System.Text;

namespace Alteran.Net.Tests.Pds;

/// <summary>Seeded junk at every PDS route: only 4xx answers, never a 5xx, and the server keeps serving.</summary>
public sealed class PdsHostileInputTests
{
    private static readonly string[] Procedures =
    [
        "com.atproto.server.createSession", "com.atproto.server.createAppPassword", "com.atproto.server.revokeAppPassword",
        "com.atproto.identity.updateHandle", "app.bsky.actor.putPreferences", "com.atproto.server.refreshSession",
        "com.atproto.server.deleteSession",
    ];

    private static readonly string[] Seeds =
    [
        "{\"identifier\":\"alice.test\",\"password\":\"x\"}", "{\"name\":\"n\",\"privileged\":true}", "{\"handle\":\"a.test\"}",
        "{\"preferences\":[{\"$type\":\"app.bsky.actor.defs#adultContentPref\",\"enabled\":true}]}",
        "{\"identifier\":null,\"password\":1}", "{\"preferences\":[null,1,\"s\",{\"$type\":5}]}", "[]", "null", "\"\"", "",
    ];

    [Fact]
    public async Task JunkBodiesAndTokens_AreClientErrors()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        (string access, _) = await host.LoginOkAsync();
        var random = new Random(20261124);
        for (int i = 0; i < 300; i++)
        {
            string body = Mutate(Seeds[random.Next(Seeds.Length)], random);
            string method = Procedures[random.Next(Procedures.Length)];
            string? bearer = random.Next(4) switch { 0 => null, 1 => access, 2 => Mutate(access, random).Replace("\u00e9", "e"), _ => "a.b.c" };
            if (method.StartsWith("com.atproto.server.createSession", StringComparison.Ordinal))
                bearer = null;
            Reply r = await host.PostAsync("xrpc/" + method, body, bearer);
            Assert.True(r.Status < 500, $"{method} {body} -> {r.Status} {r.Body}");
        }
        foreach (string q in new[] { "handle=%ff%fe", "handle=" + new string('a', 3000), "aud=did:web:x&exp=99999999999999999999", "aud=%00", "handle=a..b" })
        {
            Assert.True((await host.GetAsync("xrpc/com.atproto.identity.resolveHandle?" + q)).Status < 500);
            Assert.True((await host.GetAsync("xrpc/com.atproto.server.getServiceAuth?" + q, access)).Status < 500);
        }
        Assert.Equal(200, (await host.LoginAsync("alice.test", host.Password)).Status);
    }

    private const string Specials = "{}[]\",:\\0\u00e9";

    private static string Mutate(string seed, Random random)
    {
        var sb = new StringBuilder(seed);
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits; e++)
        {
            int at = sb.Length == 0 ? 0 : random.Next(sb.Length);
            switch (random.Next(4))
            {
                case 0 when sb.Length > 0: sb.Remove(at, 1); break;
                case 1: sb.Insert(at, (char)random.Next(0x20, 0x7f)); break;
                case 2 when sb.Length > 0: sb[at] = Specials[random.Next(Specials.Length)]; break;
                default: sb.Length = at; break;
            }
        }
        return sb.ToString();
    }
}
