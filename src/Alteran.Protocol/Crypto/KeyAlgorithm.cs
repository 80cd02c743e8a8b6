namespace Alteran.Protocol.Crypto;

/// <summary>The two elliptic curves atproto signs with (specs/cryptography).</summary>
public enum KeyAlgorithm
{
    /// <summary>secp256k1, JWT "ES256K", multicodec secp256k1-pub (0xe7).</summary>
    K256,

    /// <summary>NIST P-256 (secp256r1), JWT "ES256", multicodec p256-pub (0x1200).</summary>
    P256,
}

/// <summary>Names of <see cref="KeyAlgorithm"/> values in JWTs and DID documents.</summary>
public static class KeyAlgorithmNames
{
    /// <summary>The JWT "alg" value: "ES256K" or "ES256".</summary>
    public static string ToJwtAlg(this KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.K256 => "ES256K",
        KeyAlgorithm.P256 => "ES256",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>Maps a JWT "alg" value ("ES256K" or "ES256", exact case) to its curve.</summary>
    public static bool TryParseJwtAlg(ReadOnlySpan<char> alg, out KeyAlgorithm algorithm)
    {
        if (alg.SequenceEqual("ES256K"))
        {
            algorithm = KeyAlgorithm.K256;
            return true;
        }
        if (alg.SequenceEqual("ES256"))
        {
            algorithm = KeyAlgorithm.P256;
            return true;
        }
        algorithm = default;
        return false;
    }
}
