using System.Globalization;

namespace Alteran.Protocol.Lexicon;

/// <summary>
/// Counts extended grapheme clusters (UAX #29) with <see cref="StringInfo.GetNextTextElementLength(ReadOnlySpan{char})"/>,
/// which uses .NET's own Unicode tables and so works unchanged under InvariantGlobalization.
/// </summary>
internal static class Graphemes
{
    /// <summary>The number of grapheme clusters, counting no further than <paramref name="limit"/> + 1.</summary>
    public static int Count(ReadOnlySpan<char> text, int limit = int.MaxValue)
    {
        int count = 0;
        while (!text.IsEmpty && count <= limit)
        {
            text = text[StringInfo.GetNextTextElementLength(text)..];
            count++;
        }
        return count;
    }
}
