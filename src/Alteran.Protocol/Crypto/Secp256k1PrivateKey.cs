namespace Alteran.Protocol.Crypto;

/// <summary>A K-256 signing key for libsecp256k1: RFC 6979 nonces, low-S output, no lock needed.</summary>
internal sealed unsafe class Secp256k1PrivateKey : PrivateKey
{
    private readonly Secp256k1PublicKey _publicKey;

    public Secp256k1PrivateKey(ReadOnlySpan<byte> raw32) : base(raw32)
    {
        nint ctx = Secp256k1Native.Context;
        var parsed = new byte[Secp256k1Native.OpaqueSize];
        fixed (byte* secret = Secret)
        fixed (byte* pub = parsed)
        {
            if (Secp256k1Native.secp256k1_ec_seckey_verify(ctx, secret) != 1
                || Secp256k1Native.secp256k1_ec_pubkey_create(ctx, pub, secret) != 1)
            {
                ZeroSecret();
                throw new FormatException("Not a valid K256 private key.");
            }
        }
        _publicKey = Secp256k1PublicKey.FromParsed(parsed);
    }

    public override KeyAlgorithm Algorithm => KeyAlgorithm.K256;

    public override PublicKey PublicKey => _publicKey;

    private protected override void SignHashCore(ReadOnlySpan<byte> sha256, Span<byte> signature64)
    {
        nint ctx = Secp256k1Native.Context;
        byte* sig = stackalloc byte[Secp256k1Native.OpaqueSize];
        fixed (byte* secret = Secret)
        fixed (byte* hash = sha256)
        fixed (byte* output = signature64)
        {
            // Null nonce function and data: RFC 6979. Fails only for an invalid secret, which the constructor excluded.
            if (Secp256k1Native.secp256k1_ecdsa_sign(ctx, sig, hash, secret, 0, 0) != 1
                || Secp256k1Native.secp256k1_ecdsa_signature_serialize_compact(ctx, output, sig) != 1)
                throw new InvalidOperationException("secp256k1_ecdsa_sign failed.");
        }
    }
}
