namespace Alteran.Protocol.Crypto;

/// <summary>
/// Which secp256k1 implementation a key uses. Public factories use <see cref="Auto"/>; tests and benchmarks pass an
/// explicit value so both implementations run against the same vectors.
/// </summary>
internal enum K256Backend
{
    /// <summary>libsecp256k1 when it loads, otherwise .NET <c>ECDsa</c>.</summary>
    Auto,

    /// <summary>libsecp256k1 through P/Invoke; throws <see cref="PlatformNotSupportedException"/> if it is missing.</summary>
    LibSecp256k1,

    /// <summary>.NET <c>ECDsa</c> over OpenSSL (slower; random nonces).</summary>
    DotNet,
}
