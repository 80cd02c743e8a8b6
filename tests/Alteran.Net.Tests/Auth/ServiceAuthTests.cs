using Alteran.Net.Auth;
using Alteran.Protocol.Crypto;

namespace Alteran.Net.Tests.Auth;

public class ServiceAuthTests
{
    private const string Alice = "did:plc:alice";
    private const string AppView = "did:web:api.bsky.app#bsky_appview";
    private const string Lxm = "app.bsky.feed.getTimeline";

    private readonly ManualTimeProvider _clock = new();

    /// <summary>Stand-in for DID resolution (later work): a fixed issuer → key table plus an optional "stale" key.</summary>
    private sealed class TableResolver : IServiceAuthKeyResolver
    {
        public Dictionary<string, PublicKey> Current { get; } = new();
        public Dictionary<string, PublicKey> Cached { get; } = new();
        public List<(string Issuer, bool Force)> Calls { get; } = new();

        public ValueTask<PublicKey?> ResolveSigningKeyAsync(string issuer, bool forceRefresh, CancellationToken cancellationToken)
        {
            Calls.Add((issuer, forceRefresh));
            if (!forceRefresh && Cached.TryGetValue(issuer, out var stale))
                return ValueTask.FromResult<PublicKey?>(stale);
            return ValueTask.FromResult(Current.GetValueOrDefault(issuer));
        }
    }

    private (PrivateKey Key, TableResolver Resolver) Setup(KeyAlgorithm alg = KeyAlgorithm.K256)
    {
        var key = PrivateKey.Generate(alg);
        var resolver = new TableResolver();
        resolver.Current[Alice] = key.PublicKey;
        return (key, resolver);
    }

    [Theory]
    [InlineData(KeyAlgorithm.K256)]
    [InlineData(KeyAlgorithm.P256)]
    public async Task CreateAndVerifyRoundTrip(KeyAlgorithm alg)
    {
        var (key, resolver) = Setup(alg);
        using var _ = key;
        string token = ServiceAuth.Create(key, Alice, AppView, Lxm, null, _clock);
        string payload = JwtForge.Payload(token);
        long now = _clock.UnixSeconds;
        Assert.StartsWith($$"""{"iss":"{{Alice}}","aud":"{{AppView}}","lxm":"{{Lxm}}","jti":""", payload);
        Assert.EndsWith($$""","iat":{{now}},"exp":{{now + 60}}}""", payload);

        var result = await ServiceAuth.VerifyAsync(token, AppView, Lxm, resolver, _clock);
        Assert.Equal(JwtError.None, result.Error);
        Assert.Equal(Alice, result.Info.Issuer);
        Assert.Equal(AppView, result.Info.Audience);
        Assert.Equal(Lxm, result.Info.Lxm);
        Assert.Equal(now + 60, result.Info.ExpiresAt);
        Assert.Equal(32, result.Info.Jti!.Length);
        // Null audience / lxm skip those checks.
        Assert.Equal(JwtError.None, (await ServiceAuth.VerifyAsync(token, null, null, resolver, _clock)).Error);
    }

    [Fact]
    public async Task LxmAndAudienceMustMatch()
    {
        var (key, resolver) = Setup();
        string token = ServiceAuth.Create(key, Alice, AppView, Lxm, null, _clock);
        Assert.Equal(JwtError.WrongLexiconMethod, (await ServiceAuth.VerifyAsync(token, AppView, "app.bsky.feed.getFeed", resolver, _clock)).Error);
        Assert.Equal(JwtError.WrongAudience, (await ServiceAuth.VerifyAsync(token, "did:web:api.bsky.app", Lxm, resolver, _clock)).Error);
        string methodless = ServiceAuth.Create(key, Alice, AppView, null, null, _clock);
        Assert.Equal(JwtError.WrongLexiconMethod, (await ServiceAuth.VerifyAsync(methodless, AppView, Lxm, resolver, _clock)).Error);
        Assert.Equal(JwtError.None, (await ServiceAuth.VerifyAsync(methodless, AppView, null, resolver, _clock)).Error);
    }

    [Fact]
    public void CreationEnforcesLifetimeLimits()
    {
        var (key, _) = Setup();
        long now = _clock.UnixSeconds;
        Assert.Equal(JwtError.LifetimeTooLong,
            Assert.Throws<JwtException>(() => ServiceAuth.Create(key, Alice, AppView, Lxm, now + 3601, _clock)).Error);
        Assert.Equal(JwtError.LifetimeTooLong,
            Assert.Throws<JwtException>(() => ServiceAuth.Create(key, Alice, AppView, null, now + 61, _clock)).Error);
        Assert.Equal(JwtError.Expired,
            Assert.Throws<JwtException>(() => ServiceAuth.Create(key, Alice, AppView, Lxm, now - 1, _clock)).Error);
        Assert.Equal(JwtError.WrongLexiconMethod,
            Assert.Throws<JwtException>(() => ServiceAuth.Create(key, Alice, AppView, "com.atproto.server.createAppPassword", null, _clock)).Error);
        Assert.Throws<ArgumentException>(() => ServiceAuth.Create(key, "alice", AppView, Lxm, null, _clock));
        Assert.Throws<ArgumentException>(() => ServiceAuth.Create(key, Alice, "https://api.bsky.app", Lxm, null, _clock));
        // Limits themselves are fine.
        Assert.Contains($"\"exp\":{now + 3600}", JwtForge.Payload(ServiceAuth.Create(key, Alice, AppView, Lxm, now + 3600, _clock)));
        Assert.Contains($"\"exp\":{now + 60}", JwtForge.Payload(ServiceAuth.Create(key, Alice, AppView, null, now + 60, _clock)));
    }

    [Fact]
    public async Task VerificationRejectsBadTimes()
    {
        var (key, resolver) = Setup();
        long now = _clock.UnixSeconds;
        const string header = """{"typ":"JWT","alg":"ES256K"}""";
        async Task<JwtError> V(string payload) =>
            (await ServiceAuth.VerifyAsync(JwtForge.Ecdsa(header, payload, key), AppView, Lxm, resolver, _clock)).Error;

        Assert.Equal(JwtError.None, await V($$"""{"iss":"{{Alice}}","aud":"{{AppView}}","lxm":"{{Lxm}}","iat":{{now}},"exp":{{now + 3600}}}"""));
        Assert.Equal(JwtError.LifetimeTooLong, await V($$"""{"iss":"{{Alice}}","aud":"{{AppView}}","lxm":"{{Lxm}}","iat":{{now}},"exp":{{now + 86400}}}"""));
        Assert.Equal(JwtError.Expired, await V($$"""{"iss":"{{Alice}}","aud":"{{AppView}}","lxm":"{{Lxm}}","iat":{{now - 600}},"exp":{{now - 300}}}"""));
        Assert.Equal(JwtError.NotYetValid, await V($$"""{"iss":"{{Alice}}","aud":"{{AppView}}","lxm":"{{Lxm}}","iat":{{now + 600}},"exp":{{now + 900}}}"""));
        Assert.Equal(JwtError.Malformed, await V($$"""{"iss":"{{Alice}}","aud":"{{AppView}}","lxm":"{{Lxm}}","iat":{{now}},"exp":{{now}}}"""));
        Assert.Equal(JwtError.MissingClaim, await V($$"""{"iss":"{{Alice}}","aud":"{{AppView}}","lxm":"{{Lxm}}"}"""));
        Assert.Equal(JwtError.MissingClaim, await V($$"""{"aud":"{{AppView}}","lxm":"{{Lxm}}","exp":{{now + 60}}}"""));
        Assert.Equal(JwtError.MissingClaim, await V($$"""{"iss":"alice","aud":"{{AppView}}","lxm":"{{Lxm}}","exp":{{now + 60}}}"""));
        Assert.Equal(JwtError.WrongAudience, await V($$"""{"iss":"{{Alice}}","lxm":"{{Lxm}}","exp":{{now + 60}}}"""));

        // A real token expires with the clock.
        string token = ServiceAuth.Create(key, Alice, AppView, Lxm, null, _clock);
        _clock.Advance(TimeSpan.FromSeconds(60 + ServiceAuth.DefaultLeewaySeconds));
        Assert.Equal(JwtError.Expired, (await ServiceAuth.VerifyAsync(token, AppView, Lxm, resolver, _clock)).Error);
    }

    [Theory]
    [InlineData("at+jwt")]
    [InlineData("refresh+jwt")]
    [InlineData("dpop+jwt")]
    public async Task SessionAndDpopTypesAreNotServiceTokens(string typ)
    {
        var (key, resolver) = Setup();
        long now = _clock.UnixSeconds;
        string token = JwtForge.Ecdsa($$"""{"typ":"{{typ}}","alg":"ES256K"}""",
            $$"""{"iss":"{{Alice}}","aud":"{{AppView}}","lxm":"{{Lxm}}","exp":{{now + 60}}}""", key);
        Assert.Equal(JwtError.WrongType, (await ServiceAuth.VerifyAsync(token, AppView, Lxm, resolver, _clock)).Error);
        // No typ at all is allowed (the spec does not require one).
        string untyped = JwtForge.Ecdsa("""{"alg":"ES256K"}""",
            $$"""{"iss":"{{Alice}}","aud":"{{AppView}}","lxm":"{{Lxm}}","exp":{{now + 60}}}""", key);
        Assert.Equal(JwtError.None, (await ServiceAuth.VerifyAsync(untyped, AppView, Lxm, resolver, _clock)).Error);
    }

    [Fact]
    public async Task SignatureProblemsAreRejected()
    {
        var (key, resolver) = Setup();
        string token = ServiceAuth.Create(key, Alice, AppView, Lxm, null, _clock);
        string[] p = token.Split('.');
        string tamperedPayload = JwtForge.B64(JwtForge.Payload(token).Replace(Alice, "did:plc:alicf"));
        resolver.Current["did:plc:alicf"] = key.PublicKey;
        Assert.Equal(JwtError.None, (await ServiceAuth.VerifyAsync(token, AppView, Lxm, resolver, _clock)).Error);
        Assert.Equal(JwtError.BadSignature,
            (await ServiceAuth.VerifyAsync($"{p[0]}.{tamperedPayload}.{p[2]}", AppView, Lxm, resolver, _clock)).Error);

        // Signed by a key that is not the issuer's.
        using var mallory = PrivateKey.Generate(KeyAlgorithm.K256);
        string forged = ServiceAuth.Create(mallory, Alice, AppView, Lxm, null, _clock);
        Assert.Equal(JwtError.BadSignature, (await ServiceAuth.VerifyAsync(forged, AppView, Lxm, resolver, _clock)).Error);

        // Unknown issuer.
        string stranger = ServiceAuth.Create(key, "did:plc:stranger", AppView, Lxm, null, _clock);
        Assert.Equal(JwtError.UnknownIssuer, (await ServiceAuth.VerifyAsync(stranger, AppView, Lxm, resolver, _clock)).Error);

        // Key of the other curve than the header says.
        using var p256 = PrivateKey.Generate(KeyAlgorithm.P256);
        resolver.Current[Alice] = p256.PublicKey;
        Assert.Equal(JwtError.WrongAlgorithm, (await ServiceAuth.VerifyAsync(token, AppView, Lxm, resolver, _clock)).Error);

        // HS256 and alg:none are refused outright.
        long now = _clock.UnixSeconds;
        string payload = $$"""{"iss":"{{Alice}}","aud":"{{AppView}}","lxm":"{{Lxm}}","exp":{{now + 60}}}""";
        Assert.Equal(JwtError.WrongAlgorithm, (await ServiceAuth.VerifyAsync(
            JwtForge.Hs256("""{"typ":"JWT","alg":"HS256"}""", payload, key.PublicKey.Compressed.ToArray()), AppView, Lxm, resolver, _clock)).Error);
        Assert.Equal(JwtError.WrongAlgorithm, (await ServiceAuth.VerifyAsync(
            JwtForge.Unsigned("""{"typ":"JWT","alg":"none"}""", payload, "AAAA"), AppView, Lxm, resolver, _clock)).Error);
    }

    [Fact]
    public async Task StaleCachedKeyIsRefreshedOnce()
    {
        var (key, resolver) = Setup();
        using var old = PrivateKey.Generate(KeyAlgorithm.K256);
        resolver.Cached[Alice] = old.PublicKey; // the issuer rotated keys; our cache has the old one
        string token = ServiceAuth.Create(key, Alice, AppView, Lxm, null, _clock);
        Assert.Equal(JwtError.None, (await ServiceAuth.VerifyAsync(token, AppView, Lxm, resolver, _clock)).Error);
        Assert.Equal([(Alice, false), (Alice, true)], resolver.Calls);

        // A bad signature with an up-to-date cache costs one extra lookup and fails.
        resolver.Calls.Clear();
        resolver.Cached.Clear();
        using var mallory = PrivateKey.Generate(KeyAlgorithm.K256);
        string forged = ServiceAuth.Create(mallory, Alice, AppView, Lxm, null, _clock);
        Assert.Equal(JwtError.BadSignature, (await ServiceAuth.VerifyAsync(forged, AppView, Lxm, resolver, _clock)).Error);
        Assert.Equal(2, resolver.Calls.Count);
    }

    [Fact]
    public async Task ClaimsAreCheckedBeforeAnyKeyLookup()
    {
        var (key, resolver) = Setup();
        string token = ServiceAuth.Create(key, Alice, AppView, Lxm, null, _clock);
        await ServiceAuth.VerifyAsync(token, AppView, "other.method.name", resolver, _clock);
        await ServiceAuth.VerifyAsync("garbage", AppView, Lxm, resolver, _clock);
        Assert.Empty(resolver.Calls);
    }
}
