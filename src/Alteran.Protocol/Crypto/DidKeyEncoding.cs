namespace Alteran.Protocol.Crypto;

/// <summary>
/// The did:key / Multikey text form of a public key: "z" (multibase base58btc) followed by the base58btc encoding of
/// a varint multicodec prefix and the compressed point. secp256k1-pub is 0xe7 (varint e7 01), p256-pub is 0x1200
/// (varint 80 24).
/// </summary>
internal static class DidKeyEncoding
{
    public const string DidKeyPrefix = "did:key:";

    private const char Base58BtcMultibase = 'z';

    /// <summary>
    /// Longest Multikey text decoded: a prefixed compressed key is 35 bytes, about 48 characters; a legacy
    /// uncompressed key is 65 bytes, about 90. Anything much longer is rejected before any arithmetic.
    /// </summary>
    private const int MaxMultibaseChars = 128;

    private static ReadOnlySpan<byte> Secp256k1Prefix => [0xe7, 0x01];
    private static ReadOnlySpan<byte> P256Prefix => [0x80, 0x24];

    public static string EncodeMultibase(KeyAlgorithm algorithm, ReadOnlySpan<byte> compressed)
    {
        var prefix = algorithm == KeyAlgorithm.K256 ? Secp256k1Prefix : P256Prefix;
        Span<byte> bytes = stackalloc byte[prefix.Length + compressed.Length];
        prefix.CopyTo(bytes);
        compressed.CopyTo(bytes[prefix.Length..]);
        return string.Concat("z", Base58Btc.Encode(bytes));
    }

    /// <summary>Decodes "z" + base58btc; false for another multibase, a bad character, or oversized text.</summary>
    public static bool TryDecodeMultibase(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        return text.Length is > 1 and <= MaxMultibaseChars
            && text[0] == Base58BtcMultibase
            && Base58Btc.TryDecode(text[1..], out bytes);
    }

    /// <summary>Reads the key-type multicodec at the start of <paramref name="bytes"/>.</summary>
    public static bool TryReadPrefix(ReadOnlySpan<byte> bytes, out KeyAlgorithm algorithm, out int length)
    {
        if (bytes.StartsWith(Secp256k1Prefix))
        {
            (algorithm, length) = (KeyAlgorithm.K256, Secp256k1Prefix.Length);
            return true;
        }
        if (bytes.StartsWith(P256Prefix))
        {
            (algorithm, length) = (KeyAlgorithm.P256, P256Prefix.Length);
            return true;
        }
        (algorithm, length) = (default, 0);
        return false;
    }

    /// <summary>Shortens untrusted text for an exception message.</summary>
    public static string Truncate(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "…");
}
