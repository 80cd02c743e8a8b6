using System.Numerics;
using System.Runtime.CompilerServices;

namespace Alteran.Protocol.Syntax;

/// <summary>
/// ASCII character classes shared by the identifier validators. The validators are generic over the code unit
/// (<see cref="char"/> for UTF-16, <see cref="byte"/> for UTF-8) so one implementation serves both overloads; the
/// JIT specialises each instantiation, so there is no boxing or per-call cost. Every non-ASCII unit is outside every
/// class here, which is what the ASCII-only formats need.
/// </summary>
internal static class SyntaxChars
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int At<T>(ReadOnlySpan<T> s, int i) where T : unmanaged, IBinaryInteger<T> => int.CreateTruncating(s[i]);

    public static bool IsDigit(int c) => (uint)(c - '0') <= 9;

    public static bool IsLower(int c) => (uint)(c - 'a') <= 'z' - 'a';

    public static bool IsAlpha(int c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';

    public static bool IsAlnum(int c) => IsAlpha(c) || IsDigit(c);

    public static bool IsHexDigit(int c) => IsDigit(c) || (uint)((c | 0x20) - 'a') <= 'f' - 'a';

    /// <summary>True when <paramref name="s"/> equals the ASCII <paramref name="ascii"/> exactly.</summary>
    public static bool EqualsAscii<T>(ReadOnlySpan<T> s, ReadOnlySpan<byte> ascii) where T : unmanaged, IBinaryInteger<T>
    {
        if (s.Length != ascii.Length)
            return false;
        for (int i = 0; i < s.Length; i++)
        {
            if (At(s, i) != ascii[i])
                return false;
        }
        return true;
    }

    /// <summary>True when <paramref name="s"/> starts with the ASCII <paramref name="ascii"/>.</summary>
    public static bool StartsWithAscii<T>(ReadOnlySpan<T> s, ReadOnlySpan<byte> ascii) where T : unmanaged, IBinaryInteger<T> =>
        s.Length >= ascii.Length && EqualsAscii(s[..ascii.Length], ascii);

    /// <summary>Index of the first unit equal to the ASCII <paramref name="c"/>, or -1.</summary>
    public static int IndexOf<T>(ReadOnlySpan<T> s, char c) where T : unmanaged, IBinaryInteger<T> =>
        s.IndexOf(T.CreateTruncating(c));

    /// <summary>A string from units already checked to be ASCII.</summary>
    public static string ToAsciiString(ReadOnlySpan<byte> ascii) => System.Text.Encoding.Latin1.GetString(ascii);
}
