using Alteran.Protocol.Lexicon;

namespace Alteran.Protocol.Tests.Lexicon;

public class GraphemeTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("abc", 3)]
    [InlineData("e\u0301", 1)] // e + combining acute
    [InlineData("👩‍👩‍👦‍👦", 1)] // ZWJ family
    [InlineData("🇩🇪🇫🇷", 2)] // two flags (regional indicator pairs)
    [InlineData("🏳️‍🌈", 1)] // rainbow flag: flag + VS16 + ZWJ + rainbow
    [InlineData("👍🏽", 1)] // emoji + skin tone modifier
    [InlineData("한국어", 3)] // precomposed Hangul
    [InlineData("\u1100\u1161\u11A8", 1)] // conjoining jamo
    [InlineData("\r\n", 1)]
    [InlineData("न्दी", 2)] // Devanagari with virama (UAX #29 extended clusters, Unicode 15.1 conjuncts)
    public void Counts_extended_grapheme_clusters_under_invariant_globalization(string text, int expected)
    {
        Assert.True(AppContext.TryGetSwitch("System.Globalization.Invariant", out bool invariant) && invariant);
        Assert.Equal(expected, Graphemes.Count(text));
    }

    [Fact]
    public void Counting_stops_after_the_limit()
    {
        Assert.Equal(11, Graphemes.Count(new string('a', 1000), 10));
    }
}

public class JsonStringValueTests
{
    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("\"line\\nbreak \\u00e9 \\ud83d\\ude00 \\\" \\\\ \\/\"", "line\nbreak é 😀 \" \\ /")]
    [InlineData("\"\"", "")]
    public void Reads_the_unescaped_text(string json, string expected)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        using var value = new JsonStringValue(doc.RootElement);
        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(value.Utf8));
    }
}
