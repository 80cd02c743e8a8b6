using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Alteran.Protocol.Crypto;

/// <summary>
/// A validated ECDSA public key on K-256 or P-256, as atproto uses it in did:key and Multikey values.
/// Verification follows specs/cryptography: sha256 of the data, a compact 64-byte r‖s signature, low-S only
/// (DER, high-S, r or s out of range are all rejected). Instances are immutable and safe to use from many threads;
/// the parsed or imported native form is cached inside, so keep and reuse instances per DID.
/// </summary>
public abstract class PublicKey : IEquatable<PublicKey>
{
    /// <summary>Length of a compressed point (0x02/0x03 ‖ x).</summary>
    public const int CompressedLength = 33;

    /// <summary>Length of an uncompressed point (0x04 ‖ x ‖ y).</summary>
    public const int UncompressedLength = 65;

    /// <summary>Length of a compact r‖s signature.</summary>
    public const int SignatureLength = 64;

    private readonly byte[] _compressed;
    private string? _didKey;

    private protected PublicKey(byte[] compressed)
    {
        _compressed = compressed;
    }

    /// <summary>The curve.</summary>
    public abstract KeyAlgorithm Algorithm { get; }

    /// <summary>The 33-byte compressed point.</summary>
    public ReadOnlySpan<byte> Compressed => _compressed;

    private protected CurveParameters Curve => CurveParameters.For(Algorithm);

    /// <summary>Verifies a compact low-S signature over sha256(<paramref name="data"/>).</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(data, hash);
        return VerifyHash(hash, signature);
    }

    /// <summary>
    /// Verifies a compact low-S signature over a 32-byte sha256 digest. False for anything that is not exactly 64
    /// bytes with r in [1, n−1] and s in [1, n/2].
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="sha256"/> is not 32 bytes.</exception>
    public bool VerifyHash(ReadOnlySpan<byte> sha256, ReadOnlySpan<byte> signature)
    {
        if (sha256.Length != 32)
            throw new ArgumentException("A sha256 digest is 32 bytes.", nameof(sha256));
        // Checked here for both backends: OpenSSL accepts high-S, and both would reject the rest anyway.
        if (!Curve.IsCanonicalSignature(signature))
            return false;
        return VerifyHashCore(sha256, signature);
    }

    /// <summary>Called with a 32-byte hash and a 64-byte signature already known to be canonical.</summary>
    private protected abstract bool VerifyHashCore(ReadOnlySpan<byte> sha256, ReadOnlySpan<byte> signature);

    /// <summary>"did:key:z…": multicodec prefix + compressed point in base58btc.</summary>
    public string ToDidKey() => _didKey ??= DidKeyEncoding.DidKeyPrefix + ToMultibase();

    /// <summary>The Multikey <c>publicKeyMultibase</c> value: "z" + base58btc(multicodec prefix + compressed point).</summary>
    public string ToMultibase() => DidKeyEncoding.EncodeMultibase(Algorithm, _compressed);

    /// <inheritdoc/>
    public override string ToString() => ToDidKey();

    /// <summary>Parses a did:key (K-256 or P-256, compressed point).</summary>
    /// <exception cref="FormatException">Not a well-formed did:key for a supported curve, or not a valid point.</exception>
    public static PublicKey FromDidKey(string didKey) => FromDidKey(didKey, K256Backend.Auto);

    internal static PublicKey FromDidKey(string didKey, K256Backend backend)
    {
        ArgumentNullException.ThrowIfNull(didKey);
        return TryFromDidKey(didKey, backend, out var key)
            ? key
            : throw new FormatException($"Not a supported did:key: '{DidKeyEncoding.Truncate(didKey)}'.");
    }

    /// <summary>Parses a did:key; false instead of an exception on any malformed or unsupported value.</summary>
    public static bool TryFromDidKey(ReadOnlySpan<char> didKey, [NotNullWhen(true)] out PublicKey? key) =>
        TryFromDidKey(didKey, K256Backend.Auto, out key);

    internal static bool TryFromDidKey(ReadOnlySpan<char> didKey, K256Backend backend, [NotNullWhen(true)] out PublicKey? key)
    {
        key = null;
        return didKey.StartsWith(DidKeyEncoding.DidKeyPrefix, StringComparison.Ordinal)
            && TryFromMultibase(didKey[DidKeyEncoding.DidKeyPrefix.Length..], backend, out key);
    }

    /// <summary>Parses a Multikey <c>publicKeyMultibase</c> ("z" + base58btc of multicodec prefix + compressed point).</summary>
    /// <exception cref="FormatException">Malformed, unsupported curve, or not a valid point.</exception>
    public static PublicKey FromMultibase(string multikey)
    {
        ArgumentNullException.ThrowIfNull(multikey);
        return TryFromMultibase(multikey, K256Backend.Auto, out var key)
            ? key
            : throw new FormatException($"Not a supported Multikey value: '{DidKeyEncoding.Truncate(multikey)}'.");
    }

    /// <summary>
    /// Parses a legacy <c>publicKeyMultibase</c> ("z" + base58btc of a bare 33- or 65-byte point, no multicodec
    /// prefix) as used with EcdsaSecp256k1VerificationKey2019 / EcdsaSecp256r1VerificationKey2019; the curve comes
    /// from the verification method type.
    /// </summary>
    /// <exception cref="FormatException">Malformed or not a valid point.</exception>
    public static PublicKey FromMultibase(string legacyMultibase, KeyAlgorithm algorithm) =>
        FromMultibase(legacyMultibase, algorithm, K256Backend.Auto);

    internal static PublicKey FromMultibase(string legacyMultibase, KeyAlgorithm algorithm, K256Backend backend)
    {
        ArgumentNullException.ThrowIfNull(legacyMultibase);
        if (DidKeyEncoding.TryDecodeMultibase(legacyMultibase, out var bytes)
            && TryImport(algorithm, bytes, backend, out var key))
            return key;
        throw new FormatException($"Not a valid {algorithm} publicKeyMultibase: '{DidKeyEncoding.Truncate(legacyMultibase)}'.");
    }

    /// <summary>Parses a Multikey value; false instead of an exception.</summary>
    public static bool TryFromMultibase(ReadOnlySpan<char> multikey, [NotNullWhen(true)] out PublicKey? key) =>
        TryFromMultibase(multikey, K256Backend.Auto, out key);

    internal static bool TryFromMultibase(ReadOnlySpan<char> multikey, K256Backend backend, [NotNullWhen(true)] out PublicKey? key)
    {
        key = null;
        return DidKeyEncoding.TryDecodeMultibase(multikey, out var bytes)
            && DidKeyEncoding.TryReadPrefix(bytes, out var algorithm, out int prefixLength)
            && bytes.Length - prefixLength == CompressedLength // atproto encodes compressed points only
            && TryImport(algorithm, bytes.AsSpan(prefixLength), backend, out key);
    }

    /// <summary>Imports a 33-byte compressed or 65-byte uncompressed point, checking that it lies on the curve.</summary>
    /// <exception cref="FormatException">Wrong length, wrong prefix byte, or not a point on the curve.</exception>
    public static PublicKey Import(KeyAlgorithm algorithm, ReadOnlySpan<byte> compressedOrUncompressed) =>
        Import(algorithm, compressedOrUncompressed, K256Backend.Auto);

    internal static PublicKey Import(KeyAlgorithm algorithm, ReadOnlySpan<byte> point, K256Backend backend) =>
        TryImport(algorithm, point, backend, out var key)
            ? key
            : throw new FormatException($"Not a valid {algorithm} public key ({point.Length} bytes).");

    /// <summary>Imports a point; false when it is malformed or not on the curve.</summary>
    public static bool TryImport(KeyAlgorithm algorithm, ReadOnlySpan<byte> compressedOrUncompressed, [NotNullWhen(true)] out PublicKey? key) =>
        TryImport(algorithm, compressedOrUncompressed, K256Backend.Auto, out key);

    internal static bool TryImport(KeyAlgorithm algorithm, ReadOnlySpan<byte> point, K256Backend backend, [NotNullWhen(true)] out PublicKey? key)
    {
        key = null;
        // Only the SEC1 forms atproto can carry; libsecp256k1 would also take the "hybrid" 0x06/0x07 forms.
        bool shapeOk = point.Length switch
        {
            CompressedLength => point[0] is 0x02 or 0x03,
            UncompressedLength => point[0] == 0x04,
            _ => false,
        };
        if (!shapeOk)
            return false;
        if (algorithm == KeyAlgorithm.K256 && UseLibSecp256k1(backend))
            return Secp256k1PublicKey.TryCreate(point, out key);
        if (algorithm is not (KeyAlgorithm.K256 or KeyAlgorithm.P256))
            throw new ArgumentOutOfRangeException(nameof(algorithm));
        return EcdsaPublicKey.TryCreate(CurveParameters.For(algorithm), point, out key);
    }

    internal static bool UseLibSecp256k1(K256Backend backend) => backend switch
    {
        K256Backend.Auto => Secp256k1Native.IsAvailable,
        K256Backend.LibSecp256k1 => Secp256k1Native.IsAvailable
            ? true
            : throw new PlatformNotSupportedException("libsecp256k1 is not available."),
        K256Backend.DotNet => false,
        _ => throw new ArgumentOutOfRangeException(nameof(backend)),
    };

    /// <summary>Same curve and same point, whichever backend holds it.</summary>
    public bool Equals(PublicKey? other) =>
        other is not null && other.Algorithm == Algorithm && other.Compressed.SequenceEqual(_compressed);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as PublicKey);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Algorithm);
        hash.AddBytes(_compressed);
        return hash.ToHashCode();
    }
}
