using System.Buffers;
using System.Numerics;
using static Alteran.Protocol.Syntax.SyntaxChars;

namespace Alteran.Protocol.Syntax;

/// <summary>
/// The Lexicon <c>language</c> string format: a BCP 47 (RFC 5646) language tag.
/// <see cref="IsValid(ReadOnlySpan{char})"/> checks well-formedness as atproto defines it: the RFC 5646 grammar
/// with a lower-case 2-3 letter primary language (no bare 4-8 letter languages), or a private-use tag (<c>x-...</c>,
/// either case), or one of the grandfathered tags. <see cref="IsValidStrict(ReadOnlySpan{char})"/> adds the RFC 5646
/// section 2.2.9 rules that need no registry: no variant subtag and no extension singleton may appear twice
/// (case-insensitively). Checking subtags against the IANA registry is out of scope, as in the reference.
/// </summary>
public static class LanguageTag
{
    private static readonly string[] Grandfathered =
    [
        // Irregular.
        "en-GB-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon", "i-lux", "i-mingo", "i-navajo",
        "i-pwn", "i-tao", "i-tay", "i-tsu", "sgn-BE-FR", "sgn-BE-NL", "sgn-CH-DE",
        // Regular.
        "art-lojban", "cel-gaulish", "no-bok", "no-nyn", "zh-guoyu", "zh-hakka", "zh-min", "zh-min-nan", "zh-xiang",
    ];

    /// <summary>True when <paramref name="value"/> is a well-formed language tag.</summary>
    public static bool IsValid(ReadOnlySpan<char> value) => Check(value, strict: false);

    /// <summary>True when the UTF-8 <paramref name="utf8"/> is a well-formed language tag.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) => Check(utf8, strict: false);

    /// <summary>True when <paramref name="value"/> is well-formed and repeats no variant or extension singleton.</summary>
    public static bool IsValidStrict(ReadOnlySpan<char> value) => Check(value, strict: true);

    /// <summary>True when the UTF-8 <paramref name="utf8"/> is well-formed and repeats no variant or extension singleton.</summary>
    public static bool IsValidStrict(ReadOnlySpan<byte> utf8) => Check(utf8, strict: true);

    private static bool Check<T>(ReadOnlySpan<T> s, bool strict) where T : unmanaged, IBinaryInteger<T>
    {
        if (s.Length == 0)
            return false;
        if (IsGrandfathered(s))
            return true;
        // Every subtag is non-empty: no leading, trailing or doubled '-'.
        if (At(s, 0) == '-' || At(s, s.Length - 1) == '-' || s.IndexOf([T.CreateTruncating('-'), T.CreateTruncating('-')]) >= 0)
            return false;
        var cursor = new Cursor(0, SubtagEnd(s, 0));
        if (IsPrivateUseSingleton(s, cursor))
            return IsPrivateUseRest(s, ref cursor);
        return IsLangtag(s, ref cursor, strict);
    }

    private static bool IsGrandfathered<T>(ReadOnlySpan<T> s) where T : unmanaged, IBinaryInteger<T>
    {
        if (s.Length > 11)
            return false;
        foreach (string g in Grandfathered)
        {
            if (g.Length != s.Length)
                continue;
            int i = 0;
            while (i < g.Length && At(s, i) == g[i])
                i++;
            if (i == g.Length)
                return true;
        }
        return false;
    }

    private struct Cursor(int start, int end)
    {
        public int Start = start;
        public int End = end;

        public readonly int Length => End - Start;
    }

    private static int SubtagEnd<T>(ReadOnlySpan<T> s, int start) where T : unmanaged, IBinaryInteger<T>
    {
        int dash = IndexOf(s[start..], '-');
        return dash < 0 ? s.Length : start + dash;
    }

    // Moves to the next subtag; false at the end of the tag.
    private static bool Advance<T>(ReadOnlySpan<T> s, ref Cursor c) where T : unmanaged, IBinaryInteger<T>
    {
        if (c.End >= s.Length)
        {
            c.Start = c.End = s.Length;
            return false;
        }
        c.Start = c.End + 1;
        c.End = SubtagEnd(s, c.Start);
        return true;
    }

    private static bool AtEnd<T>(ReadOnlySpan<T> s, Cursor c) where T : unmanaged, IBinaryInteger<T> => c.Start >= s.Length;

    private static bool All<T>(ReadOnlySpan<T> s, Cursor c, Func<int, bool> predicate) where T : unmanaged, IBinaryInteger<T>
    {
        for (int i = c.Start; i < c.End; i++)
        {
            if (!predicate(At(s, i)))
                return false;
        }
        return true;
    }

    private static bool IsPrivateUseSingleton<T>(ReadOnlySpan<T> s, Cursor c) where T : unmanaged, IBinaryInteger<T> =>
        c.Length == 1 && (At(s, c.Start) | 0x20) == 'x';

    // After the 'x' singleton: one or more subtags of 1-8 letters or digits, to the end.
    private static bool IsPrivateUseRest<T>(ReadOnlySpan<T> s, ref Cursor c) where T : unmanaged, IBinaryInteger<T>
    {
        if (!Advance(s, ref c))
            return false;
        do
        {
            if (c.Length > 8 || !All(s, c, IsAlnum))
                return false;
        }
        while (Advance(s, ref c));
        return true;
    }

    private static bool IsLangtag<T>(ReadOnlySpan<T> s, ref Cursor c, bool strict) where T : unmanaged, IBinaryInteger<T>
    {
        // language = 2*3ALPHA, lower case, then up to three 3-letter extlangs.
        if (c.Length is not (2 or 3) || !All(s, c, IsLower))
            return false;
        Advance(s, ref c);
        for (int n = 0; n < 3 && !AtEnd(s, c) && c.Length == 3 && All(s, c, IsLower); n++)
            Advance(s, ref c);

        // script = 4ALPHA
        if (!AtEnd(s, c) && c.Length == 4 && All(s, c, IsAlpha))
            Advance(s, ref c);

        // region = 2ALPHA / 3DIGIT
        if (!AtEnd(s, c) && ((c.Length == 2 && All(s, c, IsAlpha)) || (c.Length == 3 && All(s, c, IsDigit))))
            Advance(s, ref c);

        // variant = 5*8alphanum / (DIGIT 3alphanum)
        int firstVariant = c.Start, variants = 0;
        while (!AtEnd(s, c) && All(s, c, IsAlnum) && (c.Length is >= 5 and <= 8 || (c.Length == 4 && IsDigit(At(s, c.Start)))))
        {
            variants++;
            Advance(s, ref c);
        }

        // extension = singleton 1*("-" (2*8alphanum)); singleton is any letter or digit except x.
        ulong singletons = 0;
        while (!AtEnd(s, c) && c.Length == 1 && IsAlnum(At(s, c.Start)) && !IsPrivateUseSingleton(s, c))
        {
            int bit = SubtagBit(At(s, c.Start));
            if (strict && (singletons & (1UL << bit)) != 0)
                return false;
            singletons |= 1UL << bit;
            int subtags = 0;
            while (Advance(s, ref c) && c.Length is >= 2 and <= 8 && All(s, c, IsAlnum))
                subtags++;
            if (subtags == 0)
                return false;
        }

        // privateuse = "x" 1*("-" (1*8alphanum))
        if (!AtEnd(s, c))
        {
            if (!IsPrivateUseSingleton(s, c) || !IsPrivateUseRest(s, ref c))
                return false;
        }

        return !strict || variants < 2 || VariantsDistinct(s, firstVariant, variants);
    }

    private static int SubtagBit(int c) => IsDigit(c) ? c - '0' : 10 + ((c | 0x20) - 'a');

    // Variants are contiguous; each (at most 8 letters or digits) packs case-folded into 6 bits a character.
    private static bool VariantsDistinct<T>(ReadOnlySpan<T> s, int start, int count) where T : unmanaged, IBinaryInteger<T>
    {
        ulong[]? rented = null;
        Span<ulong> keys = count <= 32 ? stackalloc ulong[32] : (rented = ArrayPool<ulong>.Shared.Rent(count));
        keys = keys[..count];
        var c = new Cursor(start, SubtagEnd(s, start));
        for (int n = 0; n < count; n++)
        {
            ulong key = 0;
            for (int i = c.Start; i < c.End; i++)
                key = (key << 6) | (uint)(SubtagBit(At(s, i)) + 1);
            keys[n] = key;
            Advance(s, ref c);
        }
        keys.Sort();
        bool distinct = true;
        for (int n = 1; n < count && distinct; n++)
            distinct = keys[n] != keys[n - 1];
        if (rented is not null)
            ArrayPool<ulong>.Shared.Return(rented);
        return distinct;
    }
}
