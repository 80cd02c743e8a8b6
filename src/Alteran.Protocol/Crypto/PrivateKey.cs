using System.Security.Cryptography;

namespace Alteran.Protocol.Crypto;

/// <summary>
/// An ECDSA signing key on K-256 or P-256. Signatures are over sha256(data), compact 64-byte r‖s, always low-S
/// (specs/cryptography). K-256 signatures from libsecp256k1 are deterministic (RFC 6979); the .NET fallback and P-256
/// use random nonces. Signing may be called from many threads at once; do not dispose while other threads sign.
/// Dispose zeroes the secret.
/// </summary>
public abstract class PrivateKey : IDisposable
{
    /// <summary>Length of a raw private key (big-endian scalar).</summary>
    public const int RawLength = 32;

    private const int MaxGenerateAttempts = 64;

    // Pinned so the GC never leaves copies of the secret behind when it compacts.
    private readonly byte[] _secret = GC.AllocateArray<byte>(RawLength, pinned: true);
    private bool _disposed;

    private protected PrivateKey(ReadOnlySpan<byte> raw32)
    {
        raw32.CopyTo(_secret);
    }

    /// <summary>The curve.</summary>
    public abstract KeyAlgorithm Algorithm { get; }

    /// <summary>The matching public key.</summary>
    public abstract PublicKey PublicKey { get; }

    /// <summary>The raw 32-byte secret, for keys in protected storage only.</summary>
    private protected ReadOnlySpan<byte> Secret
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _secret;
        }
    }

    /// <summary>Signs sha256(<paramref name="data"/>) into the first 64 bytes of <paramref name="signature64"/>.</summary>
    public void Sign(ReadOnlySpan<byte> data, Span<byte> signature64)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(data, hash);
        SignHash(hash, signature64);
    }

    /// <summary>Signs sha256(<paramref name="data"/>) and returns the 64-byte compact signature.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        var signature = new byte[PublicKey.SignatureLength];
        Sign(data, signature);
        return signature;
    }

    /// <summary>Signs a 32-byte sha256 digest: compact r‖s, low-S, written to the first 64 bytes.</summary>
    /// <exception cref="ArgumentException">The hash is not 32 bytes or the destination is shorter than 64.</exception>
    public void SignHash(ReadOnlySpan<byte> sha256, Span<byte> signature64)
    {
        if (sha256.Length != 32)
            throw new ArgumentException("A sha256 digest is 32 bytes.", nameof(sha256));
        if (signature64.Length < PublicKey.SignatureLength)
            throw new ArgumentException("The signature buffer must hold 64 bytes.", nameof(signature64));
        SignHashCore(sha256, signature64[..PublicKey.SignatureLength]);
    }

    private protected abstract void SignHashCore(ReadOnlySpan<byte> sha256, Span<byte> signature64);

    /// <summary>A new random key.</summary>
    public static PrivateKey Generate(KeyAlgorithm algorithm) => Generate(algorithm, K256Backend.Auto);

    internal static PrivateKey Generate(KeyAlgorithm algorithm, K256Backend backend)
    {
        var curve = CurveParameters.For(algorithm);
        Span<byte> raw = stackalloc byte[RawLength];
        try
        {
            // Rejection sampling: a random 32-byte value is ≥ n with probability < 2^-32 on either curve.
            for (int i = 0; i < MaxGenerateAttempts; i++)
            {
                RandomNumberGenerator.Fill(raw);
                if (curve.IsValidScalar(raw))
                    return Import(algorithm, raw, backend);
            }
            throw new CryptographicException("The random number generator kept producing invalid scalars.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
        }
    }

    /// <summary>Imports a raw 32-byte big-endian secret in [1, n−1].</summary>
    /// <exception cref="FormatException">Not 32 bytes, zero, or not below the curve order.</exception>
    public static PrivateKey Import(KeyAlgorithm algorithm, ReadOnlySpan<byte> raw32) =>
        Import(algorithm, raw32, K256Backend.Auto);

    internal static PrivateKey Import(KeyAlgorithm algorithm, ReadOnlySpan<byte> raw32, K256Backend backend)
    {
        var curve = CurveParameters.For(algorithm);
        if (!curve.IsValidScalar(raw32))
            throw new FormatException($"Not a valid {algorithm} private key: expected 32 bytes in [1, n-1], got {raw32.Length} bytes.");
        if (algorithm == KeyAlgorithm.K256 && PublicKey.UseLibSecp256k1(backend))
            return new Secp256k1PrivateKey(raw32);
        return new EcdsaPrivateKey(curve, raw32);
    }

    /// <summary>A copy of the raw 32-byte secret (store it as hex or multibase in protected storage).</summary>
    public byte[] Export() => Secret.ToArray();

    /// <summary>Zeroes the secret and frees native state.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        CryptographicOperations.ZeroMemory(_secret);
        DisposeCore();
        GC.SuppressFinalize(this);
    }

    private protected virtual void DisposeCore()
    {
    }

    /// <summary>For constructors that fail after the base copied the secret.</summary>
    private protected void ZeroSecret() => CryptographicOperations.ZeroMemory(_secret);
}
