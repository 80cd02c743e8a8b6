using System.Text;
using Alteran.Net.Auth;

namespace Alteran.Net.Tests.Auth;

public class SessionTokensTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("session-secret-0123456789abcdef");
    private const string Pds = "did:web:pds.test";
    private const string Alice = "did:plc:alice";

    private readonly ManualTimeProvider _clock = new();
    private readonly InMemoryRefreshTokenStore _store = new();
    private readonly SessionTokens _tokens;

    public SessionTokensTests() => _tokens = Create(Pds);

    private SessionTokens Create(string serviceDid, byte[]? secret = null) =>
        new(new SessionTokenOptions { Secret = secret ?? Secret, ServiceDid = serviceDid }, _store, _clock);

    [Fact]
    public void CreateSessionIssuesReferenceShapedTokens()
    {
        var pair = _tokens.CreateSession(Alice);
        long now = _clock.UnixSeconds;
        Assert.Equal("""{"typ":"at+jwt","alg":"HS256"}""", JwtForge.Header(pair.AccessJwt));
        Assert.Equal($$"""{"scope":"com.atproto.access","aud":"{{Pds}}","sub":"{{Alice}}","iat":{{now}},"exp":{{now + 7200}}}""",
            JwtForge.Payload(pair.AccessJwt));
        Assert.Equal("""{"typ":"refresh+jwt","alg":"HS256"}""", JwtForge.Header(pair.RefreshJwt));
        Assert.Equal($$"""{"scope":"com.atproto.refresh","aud":"{{Pds}}","sub":"{{Alice}}","jti":"{{pair.Refresh.Jti}}","iat":{{now}},"exp":{{now + 90 * 86400}}}""",
            JwtForge.Payload(pair.RefreshJwt));
        Assert.Equal(43, pair.Refresh.Jti.Length);
        Assert.Equal(pair.Refresh.Jti, pair.Refresh.FamilyId);
        Assert.Equal(1, _store.Count);

        Assert.Equal(JwtError.None, _tokens.TryVerifyAccess(pair.AccessJwt, out var info));
        Assert.Equal(new AccessTokenInfo(Alice, AuthScope.Access, now + 7200), info);
        Assert.Equal(JwtError.None, _tokens.TryVerifyRefresh(pair.RefreshJwt, out var rinfo));
        Assert.Equal(new RefreshTokenInfo(Alice, pair.Refresh.Jti, now + 90 * 86400), rinfo);
    }

    [Fact]
    public void AppPasswordScopesAreCarried()
    {
        var pair = _tokens.CreateSession(Alice, AuthScope.AppPassPrivileged, "phone");
        Assert.Equal(JwtError.None, _tokens.TryVerifyAccess(pair.AccessJwt, out var info));
        Assert.Same(AuthScope.AppPassPrivileged, info.Scope);
        var next = _tokens.Refresh(pair.RefreshJwt);
        Assert.Equal(JwtError.None, next.Error);
        Assert.Equal(JwtError.None, _tokens.TryVerifyAccess(next.Tokens!.AccessJwt, out info));
        Assert.Same(AuthScope.AppPassPrivileged, info.Scope);
        Assert.Equal("phone", next.Tokens.Refresh.AppPasswordName);
        Assert.Throws<ArgumentException>(() => _tokens.CreateSession(Alice, AuthScope.Refresh));
        Assert.Throws<ArgumentException>(() => _tokens.CreateSession("alice"));
    }

    [Fact]
    public void TokensAreNotInterchangeable()
    {
        var pair = _tokens.CreateSession(Alice);
        Assert.Equal(JwtError.WrongType, _tokens.TryVerifyAccess(pair.RefreshJwt, out _));
        Assert.Equal(JwtError.WrongType, _tokens.TryVerifyRefresh(pair.AccessJwt, out _));
        Assert.Equal(JwtError.WrongType, _tokens.Refresh(pair.AccessJwt).Error);
        // Right typ but wrong scope (forged with the real secret): still refused.
        long now = _clock.UnixSeconds;
        string refreshScopedAccess = JwtForge.Hs256("""{"typ":"at+jwt","alg":"HS256"}""",
            $$"""{"scope":"com.atproto.refresh","aud":"{{Pds}}","sub":"{{Alice}}","iat":{{now}},"exp":{{now + 60}}}""", Secret);
        Assert.Equal(JwtError.WrongScope, _tokens.TryVerifyAccess(refreshScopedAccess, out _));
        string accessScopedRefresh = JwtForge.Hs256("""{"typ":"refresh+jwt","alg":"HS256"}""",
            $$"""{"scope":"com.atproto.access","aud":"{{Pds}}","sub":"{{Alice}}","jti":"x","iat":{{now}},"exp":{{now + 60}}}""", Secret);
        Assert.Equal(JwtError.WrongScope, _tokens.TryVerifyRefresh(accessScopedRefresh, out _));
    }

    [Fact]
    public void ExpiredAndNotYetValidAreRejected()
    {
        var pair = _tokens.CreateSession(Alice);
        _clock.Advance(TimeSpan.FromMinutes(119));
        Assert.Equal(JwtError.None, _tokens.TryVerifyAccess(pair.AccessJwt, out _));
        _clock.Advance(TimeSpan.FromSeconds(60 + 5)); // past exp + leeway
        Assert.Equal(JwtError.Expired, _tokens.TryVerifyAccess(pair.AccessJwt, out _));

        long now = _clock.UnixSeconds;
        string future = JwtForge.Hs256("""{"typ":"at+jwt","alg":"HS256"}""",
            $$"""{"scope":"com.atproto.access","aud":"{{Pds}}","sub":"{{Alice}}","iat":{{now + 600}},"exp":{{now + 7200}}}""", Secret);
        Assert.Equal(JwtError.NotYetValid, _tokens.TryVerifyAccess(future, out _));
        string noExp = JwtForge.Hs256("""{"typ":"at+jwt","alg":"HS256"}""",
            $$"""{"scope":"com.atproto.access","aud":"{{Pds}}","sub":"{{Alice}}"}""", Secret);
        Assert.Equal(JwtError.MissingClaim, _tokens.TryVerifyAccess(noExp, out _));
        string noDid = JwtForge.Hs256("""{"typ":"at+jwt","alg":"HS256"}""",
            $$"""{"scope":"com.atproto.access","aud":"{{Pds}}","sub":"alice","exp":{{now + 60}}}""", Secret);
        Assert.Equal(JwtError.MissingClaim, _tokens.TryVerifyAccess(noDid, out _));

        _clock.Advance(TimeSpan.FromDays(90));
        Assert.Equal(JwtError.Expired, _tokens.Refresh(pair.RefreshJwt).Error);
    }

    [Fact]
    public void WrongAudienceAndWrongSecretAreRejected()
    {
        var pair = _tokens.CreateSession(Alice);
        var otherPds = Create("did:web:other.test");
        Assert.Equal(JwtError.WrongAudience, otherPds.TryVerifyAccess(pair.AccessJwt, out _));
        Assert.Equal(JwtError.WrongAudience, otherPds.Refresh(pair.RefreshJwt).Error);
        var otherSecret = Create(Pds, Encoding.UTF8.GetBytes("a-different-secret-0123456789"));
        Assert.Equal(JwtError.BadSignature, otherSecret.TryVerifyAccess(pair.AccessJwt, out _));
        Assert.Equal(JwtError.BadSignature, otherSecret.Refresh(pair.RefreshJwt).Error);
    }

    [Fact]
    public void RefreshRotatesAndTheNewTokenWorks()
    {
        var first = _tokens.CreateSession(Alice);
        _clock.Advance(TimeSpan.FromMinutes(30));
        var second = _tokens.Refresh(first.RefreshJwt);
        Assert.Equal(JwtError.None, second.Error);
        Assert.NotEqual(first.Refresh.Jti, second.Tokens!.Refresh.Jti);
        Assert.Equal(first.Refresh.FamilyId, second.Tokens.Refresh.FamilyId);
        Assert.Equal(_clock.UnixSeconds + 90 * 86400, second.Tokens.Refresh.ExpiresAt);
        Assert.Equal(JwtError.None, _tokens.TryVerifyAccess(second.Tokens.AccessJwt, out _));
        var stored = _store.Get(first.Refresh.Jti)!;
        Assert.Equal(second.Tokens.Refresh.Jti, stored.NextJti);
        Assert.Equal(_clock.UnixSeconds, stored.RotatedAt);

        var third = _tokens.Refresh(second.Tokens.RefreshJwt);
        Assert.Equal(JwtError.None, third.Error);
        Assert.Equal(3, _store.Count);
    }

    [Fact]
    public void RetryWithinGraceReturnsTheSamePair()
    {
        var first = _tokens.CreateSession(Alice);
        _clock.Advance(TimeSpan.FromMinutes(5));
        var second = _tokens.Refresh(first.RefreshJwt).Tokens!;
        _clock.Advance(TimeSpan.FromMinutes(90)); // still inside the 2 h grace period
        var retry = _tokens.Refresh(first.RefreshJwt);
        Assert.Equal(JwtError.None, retry.Error);
        Assert.Equal(second.AccessJwt, retry.Tokens!.AccessJwt);
        Assert.Equal(second.RefreshJwt, retry.Tokens.RefreshJwt);
        Assert.Equal(2, _store.Count);
        // The replayed pair is the live one: it rotates normally.
        Assert.Equal(JwtError.None, _tokens.Refresh(retry.Tokens.RefreshJwt).Error);
    }

    [Fact]
    public void ReuseAfterGraceRevokesTheWholeChain()
    {
        var first = _tokens.CreateSession(Alice);
        var second = _tokens.Refresh(first.RefreshJwt).Tokens!;
        var third = _tokens.Refresh(second.RefreshJwt).Tokens!;
        var unrelated = _tokens.CreateSession(Alice); // another device's chain must survive
        _clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1));

        Assert.Equal(JwtError.ReuseDetected, _tokens.Refresh(first.RefreshJwt).Error);
        // Every token of the chain is now dead, including the newest one.
        Assert.Equal(JwtError.Revoked, _tokens.Refresh(third.RefreshJwt).Error);
        Assert.Equal(JwtError.Revoked, _tokens.Refresh(second.RefreshJwt).Error);
        Assert.Equal(JwtError.Revoked, _tokens.Refresh(first.RefreshJwt).Error);
        Assert.Null(_store.Get(third.Refresh.Jti));
        Assert.Equal(JwtError.None, _tokens.Refresh(unrelated.RefreshJwt).Error);
    }

    [Fact]
    public void GraceReplayFailsOnceTheSuccessorIsRevoked()
    {
        var first = _tokens.CreateSession(Alice);
        var second = _tokens.Refresh(first.RefreshJwt).Tokens!;
        Assert.Equal(JwtError.None, _tokens.RevokeSession(second.RefreshJwt));
        Assert.Equal(JwtError.Revoked, _tokens.Refresh(first.RefreshJwt).Error);
        Assert.Equal(JwtError.Revoked, _tokens.Refresh(second.RefreshJwt).Error);
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public void UnknownOrForeignRecordIsRejected()
    {
        long now = _clock.UnixSeconds;
        string unknown = JwtForge.Hs256("""{"typ":"refresh+jwt","alg":"HS256"}""",
            $$"""{"scope":"com.atproto.refresh","aud":"{{Pds}}","sub":"{{Alice}}","jti":"nope","iat":{{now}},"exp":{{now + 600}}}""", Secret);
        Assert.Equal(JwtError.Revoked, _tokens.Refresh(unknown).Error);
        // A token whose jti names someone else's record (forged with the secret) is refused.
        var bob = _tokens.CreateSession("did:plc:bob");
        string mixed = JwtForge.Hs256("""{"typ":"refresh+jwt","alg":"HS256"}""",
            $$"""{"scope":"com.atproto.refresh","aud":"{{Pds}}","sub":"{{Alice}}","jti":"{{bob.Refresh.Jti}}","iat":{{now}},"exp":{{now + 600}}}""", Secret);
        Assert.Equal(JwtError.Revoked, _tokens.Refresh(mixed).Error);
        string noJti = JwtForge.Hs256("""{"typ":"refresh+jwt","alg":"HS256"}""",
            $$"""{"scope":"com.atproto.refresh","aud":"{{Pds}}","sub":"{{Alice}}","iat":{{now}},"exp":{{now + 600}}}""", Secret);
        Assert.Equal(JwtError.MissingClaim, _tokens.Refresh(noJti).Error);
    }

    [Fact]
    public void RevokeSessionAcceptsExpiredRefreshTokens()
    {
        var pair = _tokens.CreateSession(Alice);
        _clock.Advance(TimeSpan.FromDays(91));
        Assert.Equal(JwtError.None, _tokens.RevokeSession(pair.RefreshJwt));
        Assert.Equal(JwtError.Revoked, _tokens.RevokeSession(pair.RefreshJwt));
        Assert.Equal(JwtError.WrongType, _tokens.RevokeSession(pair.AccessJwt));
    }

    [Fact]
    public async Task ConcurrentRefreshesOfOneTokenAllGetTheSamePair()
    {
        var first = _tokens.CreateSession(Alice);
        var results = await Task.WhenAll(Enumerable.Range(0, 16)
            .Select(_ => Task.Run(() => _tokens.Refresh(first.RefreshJwt))));
        Assert.All(results, r => Assert.Equal(JwtError.None, r.Error));
        Assert.Single(results.Select(r => r.Tokens!.RefreshJwt).Distinct());
        Assert.Equal(2, _store.Count);
    }

    [Fact]
    public void RotationDecisionTable()
    {
        var rec = new RefreshTokenRecord
        {
            Jti = "a", FamilyId = "a", Did = Alice, AccessScope = AuthScope.Access, IssuedAt = 0, ExpiresAt = 1000,
        };
        Assert.Equal(RefreshDecision.Reject, RefreshRotation.Decide(null, Alice, 10, 100));
        Assert.Equal(RefreshDecision.Reject, RefreshRotation.Decide(rec, "did:plc:bob", 10, 100));
        Assert.Equal(RefreshDecision.Reject, RefreshRotation.Decide(rec, Alice, 1000, 100));
        Assert.Equal(RefreshDecision.Rotate, RefreshRotation.Decide(rec, Alice, 999, 100));
        var used = rec with { NextJti = "b", RotatedAt = 50 };
        Assert.Equal(RefreshDecision.Replay, RefreshRotation.Decide(used, Alice, 149, 100));
        Assert.Equal(RefreshDecision.RevokeChain, RefreshRotation.Decide(used, Alice, 150, 100));
        Assert.Equal(RefreshDecision.RevokeChain, RefreshRotation.Decide(used, Alice, 50, 0));
    }

    [Fact]
    public void OptionsAreValidated()
    {
        Assert.Throws<ArgumentException>(() => Create(Pds, new byte[8]));
        Assert.Throws<ArgumentException>(() => Create("pds.test"));
    }
}
