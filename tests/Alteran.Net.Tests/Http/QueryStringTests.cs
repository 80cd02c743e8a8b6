using System.Text;
using Alteran.Net.Http;

namespace Alteran.Net.Tests.Http;

public class QueryStringTests
{
    [Fact]
    public void DecodesPercentAndPlus()
    {
        var q = new QueryString("repo=did%3Aplc%3Aabc&q=hello+world&empty=&flag&uris=a&uris=b%2Fc&n=42&b=true"u8);
        Assert.Equal("did:plc:abc", q.GetString("repo"u8));
        Assert.Equal("hello world", q.GetString("q"u8));
        Assert.Equal("", q.GetString("empty"u8));
        Assert.Equal("", q.GetString("flag"u8));
        Assert.Null(q.GetString("missing"u8));
        var all = new List<string>();
        Assert.Equal(2, q.GetAll("uris"u8, all));
        Assert.Equal(["a", "b/c"], all);
        Assert.True(q.TryGetInt64("n"u8, out long n));
        Assert.Equal(42, n);
        Assert.True(q.TryGetBoolean("b"u8, out bool b));
        Assert.True(b);
    }

    [Fact]
    public void DecodesUtf8AndEncodedNames()
    {
        var q = new QueryString("na%6De=caf%C3%A9"u8);
        Assert.Equal("café", q.GetString("name"u8));
    }

    [Theory]
    [InlineData("a=%")]
    [InlineData("a=%4")]
    [InlineData("a=%zz")]
    [InlineData("a=%C3")]        // truncated UTF-8
    [InlineData("a=%FF%FE")]     // not UTF-8
    public void RejectsMalformedValues(string raw)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(raw);
        Assert.Throws<QueryStringException>(() => new QueryString(bytes).GetString("a"u8));
    }

    [Fact]
    public void RejectsNonNumbersAndCapsArrays()
    {
        Assert.Throws<QueryStringException>(() => new QueryString("n=12x"u8).TryGetInt64("n"u8, out _));
        Assert.Throws<QueryStringException>(() => new QueryString("b=yes"u8).TryGetBoolean("b"u8, out _));
        byte[] many = Encoding.ASCII.GetBytes(string.Join('&', Enumerable.Repeat("u=1", 20)));
        Assert.Throws<QueryStringException>(() => new QueryString(many).GetAll("u"u8, [], maxValues: 10));
    }
}
