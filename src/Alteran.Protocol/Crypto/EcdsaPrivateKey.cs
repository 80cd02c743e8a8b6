using System.Security.Cryptography;

namespace Alteran.Protocol.Crypto;

/// <summary>
/// A signing key on .NET <see cref="ECDsa"/> (OpenSSL): every P-256 key, and the K-256 fallback. OpenSSL picks random
/// nonces and returns high-S about half the time, so each signature is normalised to low-S. Calls on the ECDsa are
/// serialised by a lock (instances are not documented as safe for concurrent use).
/// </summary>
internal sealed class EcdsaPrivateKey : PrivateKey
{
    private readonly CurveParameters _curve;
    private readonly ECDsa _ecdsa;
    private readonly EcdsaPublicKey _publicKey;
    private readonly Lock _lock = new();

    public EcdsaPrivateKey(CurveParameters curve, ReadOnlySpan<byte> raw32) : base(raw32)
    {
        _curve = curve;
        var d = raw32.ToArray();
        try
        {
            // With D only, OpenSSL derives Q.
            _ecdsa = ECDsa.Create(new ECParameters { Curve = curve.Curve, D = d });
            var q = _ecdsa.ExportParameters(includePrivateParameters: false).Q;
            _publicKey = EcdsaPublicKey.FromTrustedPoint(curve, LeftPad(q.X!), LeftPad(q.Y!));
        }
        catch (CryptographicException e)
        {
            ZeroSecret();
            throw new FormatException($"Not a valid {curve.Algorithm} private key.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(d);
        }
    }

    public override KeyAlgorithm Algorithm => _curve.Algorithm;

    public override PublicKey PublicKey => _publicKey;

    private protected override void SignHashCore(ReadOnlySpan<byte> sha256, Span<byte> signature64)
    {
        _ = Secret; // throws if disposed
        int written;
        lock (_lock)
        {
            if (!_ecdsa.TrySignHash(sha256, signature64, DSASignatureFormat.IeeeP1363FixedFieldConcatenation, out written))
                written = 0;
        }
        if (written != PublicKey.SignatureLength)
            throw new CryptographicException("ECDsa produced no 64-byte signature.");
        _curve.NormalizeLowS(signature64);
    }

    private protected override void DisposeCore() => _ecdsa.Dispose();

    private static byte[] LeftPad(byte[] coordinate)
    {
        if (coordinate.Length == 32)
            return coordinate;
        var padded = new byte[32];
        coordinate.CopyTo(padded, 32 - coordinate.Length);
        return padded;
    }
}
