using System.Text;
using Alteran.Net.Auth;
using Alteran.Protocol.Crypto;
using BenchmarkDotNet.Attributes;

namespace Alteran.Benchmarks.Net.Auth;

/// <summary>
/// The per-request auth costs: HS256 access-token verification (every authenticated XRPC call), ES256K service-JWT
/// signing (every proxied call) and verification (incoming inter-service calls, key already resolved).
/// </summary>
[MemoryDiagnoser]
public class JwtBenchmarks
{
    private sealed class NullStore : IRefreshTokenStore
    {
        public RefreshTokenRecord? Get(string jti) => null;
        public void Add(RefreshTokenRecord record) { }
        public bool TryRotate(string jti, RefreshTokenRecord next) => false;
        public bool RevokeFamily(string familyId) => false;
        public void RevokeAllForDid(string did) { }
        public void RevokeForAppPassword(string did, string appPasswordName) { }
    }

    private sealed class FixedResolver(PublicKey key) : IServiceAuthKeyResolver
    {
        public ValueTask<PublicKey?> ResolveSigningKeyAsync(string issuer, bool forceRefresh, CancellationToken cancellationToken) =>
            ValueTask.FromResult<PublicKey?>(key);
    }

    private SessionTokens _sessions = null!;
    private string _access = null!;
    private PrivateKey _repoKey = null!;
    private FixedResolver _resolver = null!;
    private string _serviceJwt = null!;

    [GlobalSetup]
    public void Setup()
    {
        _sessions = new SessionTokens(new SessionTokenOptions
        {
            Secret = Encoding.UTF8.GetBytes("benchmark-secret-0123456789abcdef"),
            ServiceDid = "did:web:pds.example.com",
        }, new NullStore());
        _access = _sessions.CreateSession("did:plc:ewvi7nxzyoun6zhxrhs64oiz").AccessJwt;
        _repoKey = PrivateKey.Generate(KeyAlgorithm.K256);
        _resolver = new FixedResolver(_repoKey.PublicKey);
        _serviceJwt = CreateServiceJwt();
        if (VerifyAccess() != JwtError.None || VerifyServiceJwt().Result != JwtError.None)
            throw new InvalidOperationException("setup tokens do not verify");
    }

    [Benchmark]
    public JwtError VerifyAccess() => _sessions.TryVerifyAccess(_access, out _);

    [Benchmark]
    public string CreateServiceJwt() =>
        ServiceAuth.Create(_repoKey, "did:plc:ewvi7nxzyoun6zhxrhs64oiz", "did:web:api.bsky.app#bsky_appview", "app.bsky.feed.getTimeline", null);

    [Benchmark]
    public async Task<JwtError> VerifyServiceJwt() =>
        (await ServiceAuth.VerifyAsync(_serviceJwt, "did:web:api.bsky.app#bsky_appview", "app.bsky.feed.getTimeline", _resolver)).Error;
}
