using Alteran.Protocol.Syntax;

namespace Alteran.Protocol.Tests.Syntax;

public sealed class LanguageTagTests
{
    [Theory]
    [InlineData("en", true)]
    [InlineData("en-US", true)]
    [InlineData("en-us", true)]
    [InlineData("zh-yue-Hant-HK", true)]       // extlang, script, region
    [InlineData("zh-aaa-bbb-ccc", true)]       // three extlangs
    [InlineData("zh-aaa-bbb-ccc-ddd", false)]  // four is too many
    [InlineData("en-a-bbb-x-a-ccc", true)]     // 'a' may repeat inside private use
    [InlineData("en-x-abcdefgh", true)]
    [InlineData("en-x-abcdefghi", false)]
    [InlineData("en-a", false)]                // singleton without subtags
    [InlineData("en-a-b", false)]              // extension subtags are 2-8 long
    [InlineData("x", false)]
    [InlineData("x-", false)]
    [InlineData("en--US", false)]
    [InlineData("-en", false)]
    [InlineData("en-", false)]
    [InlineData("", false)]
    [InlineData("EN-us", false)]               // primary language is lower case
    [InlineData("en-US-u", false)]
    [InlineData("de-419-DE", false)]           // region twice; atproto copy lists it invalid, canonical comments it out
    [InlineData("sgn-BE-FR", true)]            // grandfathered
    [InlineData("en-GB-oed", true)]
    [InlineData("i-klingon", true)]
    [InlineData("i-unknown", false)]
    public void WellFormedness(string tag, bool valid)
    {
        Assert.Equal(valid, LanguageTag.IsValid(tag));
        Assert.Equal(valid, LanguageTag.IsValid(System.Text.Encoding.ASCII.GetBytes(tag)));
    }

    [Theory]
    [InlineData("de-DE-1901-1996", true)]
    [InlineData("de-DE-1901-1901", false)]
    [InlineData("sl-rozaj-ROZAJ", false)]
    [InlineData("sl-rozaj-biske-1994", true)]
    [InlineData("en-a-foo-b-bar", true)]
    [InlineData("en-a-foo-A-bar", false)]
    [InlineData("en-x-a-a", true)]             // private use is not checked for repeats
    public void StrictRejectsRepeats(string tag, bool valid)
    {
        Assert.True(LanguageTag.IsValid(tag));
        Assert.Equal(valid, LanguageTag.IsValidStrict(tag));
    }

    [Fact]
    public void ManyVariantsAreCheckedWithoutQuadraticWork()
    {
        // 5,000 distinct variants, then one repeat of the first.
        var parts = new List<string> { "en" };
        for (int i = 0; i < 5000; i++)
            parts.Add("v" + i.ToString("D4"));
        string distinct = string.Join('-', parts);
        Assert.True(LanguageTag.IsValidStrict(distinct));
        Assert.False(LanguageTag.IsValidStrict(distinct + "-V0000"));
    }
}
