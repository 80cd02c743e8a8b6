using System.Numerics;
using static Alteran.Protocol.Syntax.SyntaxChars;

namespace Alteran.Protocol.Syntax;

/// <summary>
/// The Lexicon <c>cid</c> string format as a loose syntax check: 8-256 characters of <c>[A-Za-z0-9+=]</c>
/// (any multibase text form) and not a CIDv0 (<c>Qm...</c>), which atproto does not allow. It does not decode the
/// CID; use <see cref="Cid.TryParse(ReadOnlySpan{char}, out Cid)"/> for the strict atproto form (CIDv1, sha2-256).
/// </summary>
public static class CidSyntax
{
    /// <summary>Shortest accepted text.</summary>
    public const int MinLength = 8;

    /// <summary>Longest accepted text.</summary>
    public const int MaxLength = 256;

    /// <summary>True when <paramref name="value"/> looks like a CIDv1 in some multibase.</summary>
    public static bool IsValid(ReadOnlySpan<char> value) => IsValidCore(value);

    /// <summary>True when the UTF-8 <paramref name="utf8"/> looks like a CIDv1 in some multibase.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) => IsValidCore(utf8);

    internal static bool IsValidCore<T>(ReadOnlySpan<T> s) where T : unmanaged, IBinaryInteger<T>
    {
        if (s.Length is < MinLength or > MaxLength)
            return false;
        for (int i = 0; i < s.Length; i++)
        {
            int c = At(s, i);
            if (!(IsAlnum(c) || c is '+' or '='))
                return false;
        }
        // CIDv0 is a bare base58btc sha2-256 multihash, which always starts "Qm".
        return !StartsWithAscii(s, "Qm"u8);
    }
}
