using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Alteran.Protocol.Crypto;

/// <summary>
/// P/Invoke binding to libsecp256k1 (Debian package libsecp256k1-1) and the one process-wide context.
/// The context is randomised once before it is shared; afterwards every function used here takes it as const,
/// which libsecp256k1 documents as safe from many threads at once. It is never destroyed.
/// </summary>
internal static unsafe partial class Secp256k1Native
{
    private const string Lib = "libsecp256k1.so.1";

    // SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY: ignored (same as NONE) since 0.2.0, required before it.
    private const uint ContextSignVerify = 0x301;

    /// <summary>SECP256K1_EC_COMPRESSED.</summary>
    public const uint Compressed = 0x102;

    /// <summary>SECP256K1_EC_UNCOMPRESSED.</summary>
    public const uint Uncompressed = 0x2;

    /// <summary>Size of the opaque secp256k1_pubkey and secp256k1_ecdsa_signature structs.</summary>
    public const int OpaqueSize = 64;

    private static readonly nint s_context = CreateContext();

    /// <summary>True when the library loaded and a context was created.</summary>
    public static bool IsAvailable => s_context != 0;

    /// <summary>The shared context; throws when the library is missing.</summary>
    public static nint Context =>
        s_context != 0 ? s_context : throw new PlatformNotSupportedException($"{Lib} could not be loaded.");

    private static nint CreateContext()
    {
        if (!NativeLibrary.TryLoad(Lib, typeof(Secp256k1Native).Assembly, null, out _))
            return 0;
        try
        {
            nint ctx = secp256k1_context_create(ContextSignVerify);
            if (ctx == 0)
                return 0;
            // Blinds signing against side channels; must happen before the context is shared.
            byte* seed = stackalloc byte[32];
            RandomNumberGenerator.Fill(new Span<byte>(seed, 32));
            if (secp256k1_context_randomize(ctx, seed) != 1)
                return 0;
            return ctx;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 0;
        }
    }

    [LibraryImport(Lib)]
    private static partial nint secp256k1_context_create(uint flags);

    [LibraryImport(Lib)]
    private static partial int secp256k1_context_randomize(nint ctx, byte* seed32);

    [LibraryImport(Lib)]
    public static partial int secp256k1_ec_pubkey_parse(nint ctx, byte* pubkey64, byte* input, nuint inputLength);

    [LibraryImport(Lib)]
    public static partial int secp256k1_ec_pubkey_serialize(nint ctx, byte* output, nuint* outputLength, byte* pubkey64, uint flags);

    [LibraryImport(Lib)]
    public static partial int secp256k1_ec_pubkey_create(nint ctx, byte* pubkey64, byte* seckey32);

    [LibraryImport(Lib)]
    public static partial int secp256k1_ec_seckey_verify(nint ctx, byte* seckey32);

    /// <summary>A null nonce function selects RFC 6979; the result is always low-S.</summary>
    [LibraryImport(Lib)]
    public static partial int secp256k1_ecdsa_sign(nint ctx, byte* sig64, byte* msghash32, byte* seckey32, nint noncefp, nint ndata);

    [LibraryImport(Lib)]
    public static partial int secp256k1_ecdsa_signature_serialize_compact(nint ctx, byte* output64, byte* sig64);

    [LibraryImport(Lib)]
    public static partial int secp256k1_ecdsa_signature_parse_compact(nint ctx, byte* sig64, byte* input64);

    /// <summary>Returns 1 only for a valid low-S signature.</summary>
    [LibraryImport(Lib)]
    public static partial int secp256k1_ecdsa_verify(nint ctx, byte* sig64, byte* msghash32, byte* pubkey64);
}
