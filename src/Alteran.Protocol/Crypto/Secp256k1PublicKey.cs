using System.Diagnostics.CodeAnalysis;

namespace Alteran.Protocol.Crypto;

/// <summary>A K-256 public key verified by libsecp256k1; holds the parsed 64-byte secp256k1_pubkey.</summary>
internal sealed unsafe class Secp256k1PublicKey : PublicKey
{
    private readonly byte[] _parsed;

    private Secp256k1PublicKey(byte[] compressed, byte[] parsed) : base(compressed)
    {
        _parsed = parsed;
    }

    public override KeyAlgorithm Algorithm => KeyAlgorithm.K256;

    /// <summary>Parses a 33- or 65-byte point; libsecp256k1 checks that it is on the curve.</summary>
    public static bool TryCreate(ReadOnlySpan<byte> point, [NotNullWhen(true)] out PublicKey? key)
    {
        key = null;
        var parsed = new byte[Secp256k1Native.OpaqueSize];
        var compressed = new byte[CompressedLength];
        nint ctx = Secp256k1Native.Context;
        fixed (byte* p = parsed)
        fixed (byte* input = point)
        fixed (byte* output = compressed)
        {
            if (Secp256k1Native.secp256k1_ec_pubkey_parse(ctx, p, input, (nuint)point.Length) != 1)
                return false;
            nuint length = CompressedLength;
            if (Secp256k1Native.secp256k1_ec_pubkey_serialize(ctx, output, &length, p, Secp256k1Native.Compressed) != 1
                || length != CompressedLength)
                return false;
        }
        key = new Secp256k1PublicKey(compressed, parsed);
        return true;
    }

    /// <summary>Wraps an already parsed key (from secp256k1_ec_pubkey_create).</summary>
    internal static Secp256k1PublicKey FromParsed(byte[] parsed)
    {
        var compressed = new byte[CompressedLength];
        fixed (byte* p = parsed)
        fixed (byte* output = compressed)
        {
            nuint length = CompressedLength;
            if (Secp256k1Native.secp256k1_ec_pubkey_serialize(Secp256k1Native.Context, output, &length, p, Secp256k1Native.Compressed) != 1)
                throw new InvalidOperationException("secp256k1_ec_pubkey_serialize failed.");
        }
        return new Secp256k1PublicKey(compressed, parsed);
    }

    private protected override bool VerifyHashCore(ReadOnlySpan<byte> sha256, ReadOnlySpan<byte> signature)
    {
        byte* sig = stackalloc byte[Secp256k1Native.OpaqueSize];
        nint ctx = Secp256k1Native.Context;
        fixed (byte* compact = signature)
        fixed (byte* hash = sha256)
        fixed (byte* pub = _parsed)
        {
            return Secp256k1Native.secp256k1_ecdsa_signature_parse_compact(ctx, sig, compact) == 1
                && Secp256k1Native.secp256k1_ecdsa_verify(ctx, sig, hash, pub) == 1;
        }
    }
}
