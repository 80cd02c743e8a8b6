using System.Numerics;
using System.Security.Cryptography;

namespace Alteran.Protocol.Crypto;

/// <summary>
/// Domain parameters of one curve and the arithmetic the .NET path lacks: scalar range checks, the low-S rule,
/// and point decompression. Both curves have p ≡ 3 (mod 4), so a square root is rhs^((p+1)/4).
/// </summary>
internal sealed class CurveParameters
{
    /// <summary>secp256k1: y² = x³ + 7.</summary>
    public static readonly CurveParameters Secp256k1 = new(
        KeyAlgorithm.K256,
        ECCurve.CreateFromFriendlyName("secP256k1"),
        p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F",
        a: "0000000000000000000000000000000000000000000000000000000000000000",
        b: "0000000000000000000000000000000000000000000000000000000000000007",
        n: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");

    /// <summary>NIST P-256: y² = x³ − 3x + b.</summary>
    public static readonly CurveParameters P256 = new(
        KeyAlgorithm.P256,
        ECCurve.NamedCurves.nistP256,
        p: "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF",
        a: "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFC",
        b: "5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B",
        n: "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");

    private readonly BigInteger _p, _a, _b, _sqrtExponent;
    private readonly byte[] _pBytes, _n, _halfN;

    private CurveParameters(KeyAlgorithm algorithm, ECCurve curve, string p, string a, string b, string n)
    {
        Algorithm = algorithm;
        Curve = curve;
        _pBytes = Convert.FromHexString(p);
        _n = Convert.FromHexString(n);
        _p = FromBytes(_pBytes);
        _a = FromBytes(Convert.FromHexString(a));
        _b = FromBytes(Convert.FromHexString(b));
        _sqrtExponent = (_p + 1) >> 2;
        _halfN = new byte[32];
        WriteBytes(FromBytes(_n) >> 1, _halfN);
    }

    public KeyAlgorithm Algorithm { get; }

    /// <summary>The curve for <see cref="ECDsa"/>.</summary>
    public ECCurve Curve { get; }

    public static CurveParameters For(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.K256 => Secp256k1,
        KeyAlgorithm.P256 => P256,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>True for a 32-byte big-endian scalar in [1, n−1]: a valid private key, r or s.</summary>
    public bool IsValidScalar(ReadOnlySpan<byte> scalar) =>
        scalar.Length == 32 && scalar.IndexOfAnyExcept((byte)0) >= 0 && scalar.SequenceCompareTo(_n) < 0;

    /// <summary>
    /// True for a compact r‖s signature that atproto accepts: exactly 64 bytes, r in [1, n−1], s in [1, n/2] (low-S).
    /// </summary>
    public bool IsCanonicalSignature(ReadOnlySpan<byte> signature) =>
        signature.Length == 64
        && IsValidScalar(signature[..32])
        && signature[32..].IndexOfAnyExcept((byte)0) >= 0
        && signature[32..].SequenceCompareTo(_halfN) <= 0;

    /// <summary>Rewrites a high s as n − s in place, which keeps the signature valid and makes it low-S.</summary>
    public void NormalizeLowS(Span<byte> signature)
    {
        var s = signature.Slice(32, 32);
        if (s.SequenceCompareTo(_halfN) <= 0)
            return;
        int borrow = 0;
        for (int i = 31; i >= 0; i--)
        {
            int d = _n[i] - s[i] - borrow;
            borrow = d < 0 ? 1 : 0;
            s[i] = (byte)(d + (borrow << 8));
        }
    }

    /// <summary>
    /// Recovers y from a 33-byte compressed point (0x02/0x03 ‖ x). False when x ≥ p or x is not on the curve.
    /// </summary>
    public bool TryDecompress(ReadOnlySpan<byte> compressed, Span<byte> x, Span<byte> y)
    {
        if (compressed.Length != 33 || compressed[0] is not (0x02 or 0x03))
            return false;
        var xBytes = compressed[1..];
        if (xBytes.SequenceCompareTo(_pBytes) >= 0)
            return false;
        var xi = FromBytes(xBytes);
        var rhs = Rhs(xi);
        var yi = BigInteger.ModPow(rhs, _sqrtExponent, _p);
        if (yi * yi % _p != rhs)
            return false; // rhs is not a square: no point with this x
        if (yi.IsEven != (compressed[0] == 0x02))
            yi = (_p - yi) % _p;
        // y = 0 with prefix 0x03 would ask for an odd root that does not exist; neither curve has such a point,
        // but keep the check so the parity is always right.
        if (yi.IsEven != (compressed[0] == 0x02))
            return false;
        xBytes.CopyTo(x);
        WriteBytes(yi, y);
        return true;
    }

    /// <summary>True when (x, y) are field elements and satisfy the curve equation (so the point is valid: cofactor 1).</summary>
    public bool IsOnCurve(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        if (x.Length != 32 || y.Length != 32 || x.SequenceCompareTo(_pBytes) >= 0 || y.SequenceCompareTo(_pBytes) >= 0)
            return false;
        var yi = FromBytes(y);
        return yi * yi % _p == Rhs(FromBytes(x));
    }

    private BigInteger Rhs(BigInteger x) => ((x * x % _p * x) + (_a * x) + _b) % _p;

    private static BigInteger FromBytes(ReadOnlySpan<byte> bytes) => new(bytes, isUnsigned: true, isBigEndian: true);

    private static void WriteBytes(BigInteger value, Span<byte> destination32)
    {
        Span<byte> tmp = stackalloc byte[33];
        value.TryWriteBytes(tmp, out int written, isUnsigned: true, isBigEndian: true);
        destination32.Clear();
        tmp[..written].CopyTo(destination32[(32 - written)..]);
    }
}
