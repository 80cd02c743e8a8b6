using System.Numerics;
using System.Security.Cryptography;
using Alteran.Protocol.Crypto;

namespace Alteran.Protocol.Tests.Crypto;

/// <summary>The hand-written curve arithmetic the .NET path relies on, checked against libsecp256k1 and OpenSSL.</summary>
public class CurveParametersTests
{
    [Fact]
    public void K256DecompressionAgreesWithLibSecp256k1ForRandomX()
    {
        // About half of all x values have no point; both implementations must agree on which, and on y.
        var rng = new Random(1234);
        int accepted = 0;
        for (int i = 0; i < 400; i++)
        {
            var point = new byte[33];
            rng.NextBytes(point);
            point[0] = (byte)(0x02 | (i & 1));
            bool native = PublicKey.TryImport(KeyAlgorithm.K256, point, K256Backend.LibSecp256k1, out var nativeKey);
            bool dotnet = PublicKey.TryImport(KeyAlgorithm.K256, point, K256Backend.DotNet, out var dotnetKey);
            Assert.Equal(native, dotnet);
            if (native)
            {
                accepted++;
                Assert.Equal(nativeKey, dotnetKey);
                Assert.Equal(point, nativeKey!.Compressed.ToArray());
            }
        }
        Assert.InRange(accepted, 120, 280);
    }

    [Theory]
    [InlineData(KeyAlgorithm.K256)]
    [InlineData(KeyAlgorithm.P256)]
    public void DecompressedPointIsAcceptedByOpenSsl(KeyAlgorithm alg)
    {
        var curve = CurveParameters.For(alg);
        var rng = new Random(99);
        int checkedPoints = 0;
        Span<byte> x = stackalloc byte[32], y = stackalloc byte[32];
        for (int i = 0; i < 60; i++)
        {
            var point = new byte[33];
            rng.NextBytes(point);
            point[0] = (byte)(0x02 | (i & 1));
            if (!curve.TryDecompress(point, x, y))
                continue;
            checkedPoints++;
            Assert.Equal(point[0] == 0x03, (y[31] & 1) == 1);
            Assert.True(curve.IsOnCurve(x, y));
            // OpenSSL validates the point on import and throws if it is not on the curve.
            using var ecdsa = ECDsa.Create(new ECParameters { Curve = curve.Curve, Q = new ECPoint { X = x.ToArray(), Y = y.ToArray() } });
            Assert.Equal(x.ToArray(), ecdsa.ExportParameters(false).Q.X);
        }
        Assert.True(checkedPoints > 10);
    }

    [Theory]
    [InlineData(KeyAlgorithm.K256)]
    [InlineData(KeyAlgorithm.P256)]
    public void EveryTruncationOfAPointIsRejected(KeyAlgorithm alg)
    {
        using var key = PrivateKey.Generate(alg);
        var compressed = key.PublicKey.Compressed.ToArray();
        foreach (var backend in new[] { K256Backend.Auto, K256Backend.DotNet })
        {
            Assert.True(PublicKey.TryImport(alg, compressed, backend, out _));
            for (int i = 0; i < compressed.Length; i++)
            {
                Assert.False(PublicKey.TryImport(alg, compressed.AsSpan(0, i), backend, out _));
                Assert.Throws<FormatException>(() => PublicKey.Import(alg, compressed.AsSpan(0, i)));
            }
            Assert.False(PublicKey.TryImport(alg, [.. compressed, 0], backend, out _));
            Assert.False(PublicKey.TryImport(alg, new byte[65], backend, out _));
            Assert.False(PublicKey.TryImport(alg, new byte[33], backend, out _));
            Assert.False(PublicKey.TryImport(alg, new byte[1000], backend, out _));
        }
    }

    [Theory]
    [InlineData(KeyAlgorithm.K256)]
    [InlineData(KeyAlgorithm.P256)]
    public void LowSBoundary(KeyAlgorithm alg)
    {
        var curve = CurveParameters.For(alg);
        var n = Order(alg);
        var half = n / 2;
        var r = BigInteger.One;

        Assert.True(curve.IsCanonicalSignature(Sig(r, half)));
        Assert.True(curve.IsCanonicalSignature(Sig(r, BigInteger.One)));
        Assert.True(curve.IsCanonicalSignature(Sig(n - 1, half)));
        Assert.False(curve.IsCanonicalSignature(Sig(r, half + 1)));
        Assert.False(curve.IsCanonicalSignature(Sig(r, n - 1)));
        Assert.False(curve.IsCanonicalSignature(Sig(BigInteger.Zero, BigInteger.One)));
        Assert.False(curve.IsCanonicalSignature(Sig(r, BigInteger.Zero)));
        Assert.False(curve.IsCanonicalSignature(Sig(n, BigInteger.One)));
        Assert.False(curve.IsCanonicalSignature(Sig(r, half)[..63]));

        // NormalizeLowS leaves low values alone and maps s to n - s otherwise.
        var low = Sig(r, half);
        curve.NormalizeLowS(low);
        Assert.Equal(Sig(r, half), low);
        foreach (var s in new[] { half + 1, n - 1, n - 2, half + 12345 })
        {
            var sig = Sig(r, s);
            curve.NormalizeLowS(sig);
            Assert.Equal(Sig(r, n - s), sig);
            Assert.True(curve.IsCanonicalSignature(sig));
        }
    }

    [Theory]
    [InlineData(KeyAlgorithm.K256)]
    [InlineData(KeyAlgorithm.P256)]
    public void ScalarRange(KeyAlgorithm alg)
    {
        var curve = CurveParameters.For(alg);
        var n = Order(alg);
        Assert.False(curve.IsValidScalar(To32(BigInteger.Zero)));
        Assert.True(curve.IsValidScalar(To32(BigInteger.One)));
        Assert.True(curve.IsValidScalar(To32(n - 1)));
        Assert.False(curve.IsValidScalar(To32(n)));
        Assert.False(curve.IsValidScalar(To32(n + 1)));
        Assert.False(curve.IsValidScalar(new byte[31]));
    }

    private static BigInteger Order(KeyAlgorithm alg) => new(Convert.FromHexString(alg == KeyAlgorithm.K256
        ? "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141"
        : "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551"), isUnsigned: true, isBigEndian: true);

    private static byte[] To32(BigInteger v)
    {
        var raw = v.ToByteArray(isUnsigned: true, isBigEndian: true);
        var r = new byte[32];
        raw.CopyTo(r, 32 - raw.Length);
        return r;
    }

    private static byte[] Sig(BigInteger r, BigInteger s) => [.. To32(r), .. To32(s)];
}
