using System.Text;

namespace Alteran.Protocol.Cbor;

/// <summary>
/// The canonical DAG-CBOR map key order: shorter keys first, then bytewise on the UTF-8 bytes
/// (RFC 7049 §3.9 "canonical CBOR", as DAG-CBOR specifies). Note this is *not* plain string order:
/// "z" sorts before "aa".
/// </summary>
public static class DagCborKeyOrder
{
    /// <summary>Compares two UTF-8 keys: negative if <paramref name="a"/> sorts first.</summary>
    public static int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int c = a.Length - b.Length;
        return c != 0 ? c : a.SequenceCompareTo(b);
    }

    /// <summary>Compares two keys given as .NET strings by their UTF-8 encodings.</summary>
    public static int Compare(string a, string b) => StringComparer.Compare(a, b);

    /// <summary>A comparer for sorting string keys canonically (UTF-8 length first, then UTF-8 bytes).</summary>
    public static IComparer<string> StringComparer { get; } = new Utf8KeyComparer();

    private sealed class Utf8KeyComparer : IComparer<string>
    {
        public int Compare(string? x, string? y)
        {
            if (ReferenceEquals(x, y))
                return 0;
            if (x is null)
                return -1;
            if (y is null)
                return 1;
            int c = Encoding.UTF8.GetByteCount(x) - Encoding.UTF8.GetByteCount(y);
            if (c != 0)
                return c;
            // Same UTF-8 length: UTF-8 byte order equals code point order, which equals UTF-16 ordinal
            // order except where surrogates meet U+E000..U+FFFF; compare by code point to be exact.
            var ex = x.EnumerateRunes();
            var ey = y.EnumerateRunes();
            while (ex.MoveNext())
            {
                if (!ey.MoveNext())
                    return 1;
                int d = ex.Current.Value.CompareTo(ey.Current.Value);
                if (d != 0)
                    return d;
            }
            return ey.MoveNext() ? -1 : 0;
        }
    }
}
