using System.Numerics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Alteran.Protocol.Mst;

/// <summary>
/// MST key rules: the key height (layer) from SHA-256, the shared-prefix length used to compress keys in nodes,
/// and key validity (<c>collection/rkey</c>, at most 1024 bytes, restricted ASCII).
/// </summary>
public static class MstKey
{
    /// <summary>Longest key an MST accepts, in bytes.</summary>
    public const int MaxLength = 1024;

    /// <summary>
    /// The height of <paramref name="key"/>: leading zero bits of SHA-256(key), halved and rounded down
    /// (2 bits per layer, so a fanout of about 4).
    /// </summary>
    public static int Height(ReadOnlySpan<byte> key)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(key, hash);
        int zeros = 0;
        for (int i = 0; i < hash.Length; i++)
        {
            byte b = hash[i];
            if (b == 0)
            {
                zeros += 8;
                continue;
            }
            zeros += BitOperations.LeadingZeroCount((uint)b) - 24;
            break;
        }
        return zeros / 2;
    }

    /// <summary>The height of a key given as text (UTF-8 encoded first).</summary>
    public static int Height(string key) => Height(System.Text.Encoding.UTF8.GetBytes(key));

    /// <summary>Length of the common byte prefix of <paramref name="a"/> and <paramref name="b"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CommonPrefixLength(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.CommonPrefixLength(b);

    /// <summary>
    /// True for a valid MST key: <c>collection/rkey</c>, both parts non-empty, one slash, characters
    /// <c>A-Z a-z 0-9 _ ~ - : .</c>, at most <see cref="MaxLength"/> bytes.
    /// </summary>
    public static bool IsValid(ReadOnlySpan<byte> key)
    {
        if (key.Length == 0 || key.Length > MaxLength)
            return false;
        int slash = -1;
        for (int i = 0; i < key.Length; i++)
        {
            byte c = key[i];
            if (c == (byte)'/')
            {
                if (slash >= 0)
                    return false;
                slash = i;
            }
            else if (!IsKeyChar(c))
            {
                return false;
            }
        }
        return slash > 0 && slash < key.Length - 1;
    }

    /// <summary>True for a valid MST key given as text.</summary>
    public static bool IsValid(ReadOnlySpan<char> key)
    {
        if (key.Length == 0 || key.Length > MaxLength)
            return false;
        int slash = -1;
        for (int i = 0; i < key.Length; i++)
        {
            char c = key[i];
            if (c == '/')
            {
                if (slash >= 0)
                    return false;
                slash = i;
            }
            else if (c > 0x7f || !IsKeyChar((byte)c))
            {
                return false;
            }
        }
        return slash > 0 && slash < key.Length - 1;
    }

    /// <summary>Validates <paramref name="key"/> and returns its bytes (ASCII).</summary>
    /// <exception cref="MstException">The key is not a valid MST key.</exception>
    public static byte[] ToBytes(ReadOnlySpan<char> key)
    {
        if (!IsValid(key))
            throw new MstException($"Invalid MST key: '{Shorten(key)}'.");
        var bytes = new byte[key.Length];
        for (int i = 0; i < key.Length; i++)
            bytes[i] = (byte)key[i];
        return bytes;
    }

    /// <summary>Validates <paramref name="key"/> and returns a copy of its bytes.</summary>
    /// <exception cref="MstException">The key is not a valid MST key.</exception>
    public static byte[] ToBytes(ReadOnlySpan<byte> key)
    {
        if (!IsValid(key))
            throw new MstException($"Invalid MST key: '{Shorten(key)}'.");
        return key.ToArray();
    }

    /// <summary>The text form of a (valid, hence ASCII) key.</summary>
    public static string ToText(ReadOnlySpan<byte> key) => System.Text.Encoding.ASCII.GetString(key);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsKeyChar(byte c) =>
        (uint)(c - 'a') <= 'z' - 'a' || (uint)(c - 'A') <= 'Z' - 'A' || (uint)(c - '0') <= 9 ||
        c is (byte)'_' or (byte)'~' or (byte)'-' or (byte)':' or (byte)'.';

    internal static string Shorten(ReadOnlySpan<char> key) => key.Length <= 80 ? key.ToString() : key[..80].ToString() + "…";

    internal static string Shorten(ReadOnlySpan<byte> key)
    {
        var s = System.Text.Encoding.UTF8.GetString(key.Length <= 80 ? key : key[..80]);
        return key.Length <= 80 ? s : s + "…";
    }
}
