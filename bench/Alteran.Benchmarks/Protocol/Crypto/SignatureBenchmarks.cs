using Alteran.Protocol.Crypto;
using BenchmarkDotNet.Attributes;

namespace Alteran.Benchmarks.Protocol.Crypto;

/// <summary>
/// Sign and verify a commit-sized message (sha256 included) on K-256 (libsecp256k1 and the .NET fallback) and P-256.
/// "Cold" verifies start from the did:key string, as when a key is seen for the first time.
/// </summary>
[MemoryDiagnoser]
public class SignatureBenchmarks
{
    private readonly byte[] _message = new byte[200];
    private readonly byte[] _signature = new byte[64];

    private PrivateKey _k256 = null!, _k256DotNet = null!, _p256 = null!;
    private PublicKey _k256Pub = null!, _k256DotNetPub = null!, _p256Pub = null!;
    private byte[] _k256Sig = null!, _k256DotNetSig = null!, _p256Sig = null!;
    private string _k256Did = null!, _p256Did = null!;

    [GlobalSetup]
    public void Setup()
    {
        new Random(42).NextBytes(_message);
        _k256 = PrivateKey.Generate(KeyAlgorithm.K256, K256Backend.LibSecp256k1);
        _k256DotNet = PrivateKey.Import(KeyAlgorithm.K256, _k256.Export(), K256Backend.DotNet);
        _p256 = PrivateKey.Generate(KeyAlgorithm.P256);
        _k256Did = _k256.PublicKey.ToDidKey();
        _p256Did = _p256.PublicKey.ToDidKey();
        _k256Pub = PublicKey.FromDidKey(_k256Did, K256Backend.LibSecp256k1);
        _k256DotNetPub = PublicKey.FromDidKey(_k256Did, K256Backend.DotNet);
        _p256Pub = PublicKey.FromDidKey(_p256Did);
        _k256Sig = _k256.Sign(_message);
        _k256DotNetSig = _k256DotNet.Sign(_message);
        _p256Sig = _p256.Sign(_message);
        // Warm the cached ECDsa instances so "verify" measures verification only.
        if (!_k256DotNetPub.Verify(_message, _k256DotNetSig) || !_p256Pub.Verify(_message, _p256Sig) || !_k256Pub.Verify(_message, _k256Sig))
            throw new InvalidOperationException("setup signatures do not verify");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _k256.Dispose();
        _k256DotNet.Dispose();
        _p256.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void K256Sign() => _k256.Sign(_message, _signature);

    [Benchmark]
    public bool K256Verify() => _k256Pub.Verify(_message, _k256Sig);

    [Benchmark]
    public bool K256VerifyColdFromDidKey() =>
        PublicKey.FromDidKey(_k256Did, K256Backend.LibSecp256k1).Verify(_message, _k256Sig);

    [Benchmark]
    public void P256Sign() => _p256.Sign(_message, _signature);

    [Benchmark]
    public bool P256Verify() => _p256Pub.Verify(_message, _p256Sig);

    [Benchmark]
    public bool P256VerifyColdFromDidKey() => PublicKey.FromDidKey(_p256Did).Verify(_message, _p256Sig);

    [Benchmark]
    public void K256DotNetSign() => _k256DotNet.Sign(_message, _signature);

    [Benchmark]
    public bool K256DotNetVerify() => _k256DotNetPub.Verify(_message, _k256DotNetSig);

    [Benchmark]
    public bool K256DotNetVerifyColdFromDidKey() =>
        PublicKey.FromDidKey(_k256Did, K256Backend.DotNet).Verify(_message, _k256DotNetSig);
}
