using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Alteran.Protocol.Crypto;

/// <summary>
/// A public key verified by .NET <see cref="ECDsa"/> (OpenSSL): every P-256 key, and K-256 keys when libsecp256k1 is
/// missing or not wanted. .NET cannot import compressed points, so the point is decompressed here. Importing into
/// OpenSSL is slow (~0.4 ms), so the <see cref="ECDsa"/> is made on first use and kept. ECDsa instances are not
/// documented as safe for concurrent use, so calls on it are serialised by a lock held only for one verification.
/// </summary>
internal sealed class EcdsaPublicKey : PublicKey
{
    private readonly CurveParameters _curve;
    private readonly byte[] _x;
    private readonly byte[] _y;
    private readonly Lock _lock = new();
    private ECDsa? _ecdsa;

    private EcdsaPublicKey(CurveParameters curve, byte[] compressed, byte[] x, byte[] y) : base(compressed)
    {
        _curve = curve;
        _x = x;
        _y = y;
    }

    public override KeyAlgorithm Algorithm => _curve.Algorithm;

    /// <summary>Accepts a 33-byte compressed or 65-byte uncompressed point that lies on the curve.</summary>
    public static bool TryCreate(CurveParameters curve, ReadOnlySpan<byte> point, [NotNullWhen(true)] out PublicKey? key)
    {
        key = null;
        var x = new byte[32];
        var y = new byte[32];
        if (point.Length == CompressedLength)
        {
            if (!curve.TryDecompress(point, x, y))
                return false;
        }
        else if (point.Length == UncompressedLength && point[0] == 0x04)
        {
            point.Slice(1, 32).CopyTo(x);
            point.Slice(33, 32).CopyTo(y);
            if (!curve.IsOnCurve(x, y))
                return false;
        }
        else
        {
            return false;
        }
        key = new EcdsaPublicKey(curve, Compress(x, y), x, y);
        return true;
    }

    /// <summary>Wraps a point known to be valid (derived from a private key).</summary>
    internal static EcdsaPublicKey FromTrustedPoint(CurveParameters curve, byte[] x, byte[] y) =>
        new(curve, Compress(x, y), x, y);

    private static byte[] Compress(byte[] x, byte[] y)
    {
        var compressed = new byte[CompressedLength];
        compressed[0] = (byte)(0x02 | (y[31] & 1));
        x.CopyTo(compressed, 1);
        return compressed;
    }

    private protected override bool VerifyHashCore(ReadOnlySpan<byte> sha256, ReadOnlySpan<byte> signature)
    {
        lock (_lock)
        {
            _ecdsa ??= ECDsa.Create(new ECParameters
            {
                Curve = _curve.Curve,
                Q = new ECPoint { X = _x, Y = _y },
            });
            return _ecdsa.VerifyHash(sha256, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
    }
}
