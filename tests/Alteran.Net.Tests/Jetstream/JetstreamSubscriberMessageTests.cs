using System.Text;
using Alteran.Net.Jetstream;

namespace Alteran.Net.Tests.Jetstream;

public sealed class JetstreamSubscriberMessageTests
{
    private const string Update =
        """{"type":"options_update","payload":{"wantedCollections":["app.bsky.feed.post","app.bsky.graph.*"],"wantedDids":["did:plc:ewvi7nxzyoun6zhxrhs64oiz"],"maxMessageSizeBytes":1000000}}""";

    private static JetstreamFilter? Parse(string json) => JetstreamSubscriberMessage.ParseOptionsUpdate(Encoding.UTF8.GetBytes(json));

    private static JetstreamOptionsError Fails(string json) =>
        Assert.Throws<JetstreamOptionsException>(() => Parse(json)).Error;

    [Fact]
    public void OptionsUpdate_BuildsFilter()
    {
        JetstreamFilter filter = Parse(Update)!;
        Assert.Equal(["app.bsky.feed.post"], filter.WantedCollections);
        Assert.Equal(["app.bsky.graph."], filter.WantedCollectionPrefixes);
        Assert.Equal(["did:plc:ewvi7nxzyoun6zhxrhs64oiz"], filter.WantedDids);
        Assert.Equal(1_000_000u, filter.MaxMessageSizeBytes);
        Assert.True(filter.Matches("did:plc:ewvi7nxzyoun6zhxrhs64oiz"u8, "app.bsky.graph.follow"u8));
        Assert.False(filter.Matches("did:plc:ewvi7nxzyoun6zhxrhs64oiz"u8, "app.bsky.feed.like"u8));
    }

    [Fact]
    public void PayloadBeforeType_AndUnknownFields_AndCaseInsensitiveNames()
    {
        JetstreamFilter filter = Parse(
            """{"payload":{"WantedCollections":["a.b.c"],"extra":{"deep":[1,2,{"x":null}]},"WANTEDDIDS":null},"Type":"options_update","id":7}""")!;
        Assert.Equal(["a.b.c"], filter.WantedCollections);
        Assert.False(filter.HasDidFilter);
        // Escaped names are unescaped before matching.
        Assert.Equal(["x.y.z"], Parse("""{"type":"options_update","payload":{"wanted\u0043ollections":["x.y.z"]}}""")!.WantedCollections);
    }

    [Fact]
    public void EmptyOrNullPayload_ClearsFilter()
    {
        Assert.Same(JetstreamFilter.All, Parse("""{"type":"options_update","payload":{}}"""));
        Assert.Same(JetstreamFilter.All, Parse("""{"type":"options_update","payload":null}"""));
        Assert.Same(JetstreamFilter.All, Parse("""{"type":"options_update","payload":{"wantedCollections":[],"wantedDids":[],"maxMessageSizeBytes":-1}}"""));
    }

    [Theory]
    [InlineData("""{"type":"hello","payload":{"wantedCollections":["not valid"]}}""")]
    [InlineData("""{"type":null,"payload":{}}""")]
    [InlineData("""{"payload":{}}""")]
    [InlineData("""{}""")]
    [InlineData("""null""")]
    [InlineData("""{"type":"OPTIONS_UPDATE","payload":{}}""")]
    public void OtherTypes_AreIgnored(string json) => Assert.Null(Parse(json));

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("\"options_update\"")]
    [InlineData("""{"type":"options_update"}""")]
    [InlineData("""{"type":"options_update","payload":[]}""")]
    [InlineData("""{"type":"options_update","payload":"x"}""")]
    [InlineData("""{"type":5,"payload":{}}""")]
    [InlineData("""{"type":"options_update","payload":{"wantedCollections":"app.bsky.feed.post"}}""")]
    [InlineData("""{"type":"options_update","payload":{"wantedCollections":[1]}}""")]
    [InlineData("""{"type":"options_update","payload":{"wantedDids":[null]}}""")]
    [InlineData("""{"type":"options_update","payload":{"maxMessageSizeBytes":"100"}}""")]
    [InlineData("""{"type":"options_update","payload":{"maxMessageSizeBytes":1.5}}""")]
    [InlineData("""{"type":"options_update","payload":{"maxMessageSizeBytes":1e400}}""")]
    [InlineData("""{"type":"options_update","payload":{}} {}""")]
    [InlineData("""{"type":"options_update","payload":{},}""")]
    [InlineData("""{"type":"options_update",/*c*/"payload":{}}""")]
    [InlineData("""{"type":"options_update","payload":{"wantedDids":["did:plc:\uD800"]}}""")]
    public void Malformed_IsInvalidMessage(string json) => Assert.Equal(JetstreamOptionsError.InvalidMessage, Fails(json));

    [Fact]
    public void InvalidUtf8_IsInvalidMessage()
    {
        byte[] bytes = [.. "{\"type\":\"options_update\",\"payload\":{\"wantedDids\":[\"did:plc:"u8, 0xFF, .. "\"]}}"u8];
        Assert.Equal(JetstreamOptionsError.InvalidMessage,
            Assert.Throws<JetstreamOptionsException>(() => JetstreamSubscriberMessage.ParseOptionsUpdate(bytes)).Error);
    }

    [Fact]
    public void InvalidOptions_CarryTheirError()
    {
        Assert.Equal(JetstreamOptionsError.InvalidCollection,
            Fails("""{"type":"options_update","payload":{"wantedCollections":["app.bsky.fo*"]}}"""));
        Assert.Equal(JetstreamOptionsError.InvalidDid,
            Fails("""{"type":"options_update","payload":{"wantedDids":["alice.example.com"]}}"""));
        string collections = string.Join(',', Enumerable.Range(0, 101).Select(i => $"\"com.example.c{i}\""));
        Assert.Equal(JetstreamOptionsError.TooManyCollections,
            Fails("{\"type\":\"options_update\",\"payload\":{\"wantedCollections\":[" + collections + "]}}"));
        string dids = string.Join(',', Enumerable.Range(0, 10_001).Select(i => $"\"did:plc:{i:D24}\""));
        Assert.Equal(JetstreamOptionsError.TooManyDids,
            Fails("{\"type\":\"options_update\",\"payload\":{\"wantedDids\":[" + dids + "]}}"));
    }

    [Fact]
    public void EveryTruncation_FailsCleanly()
    {
        byte[] full = Encoding.UTF8.GetBytes(Update);
        for (int cut = 0; cut < full.Length; cut++)
        {
            var e = Assert.Throws<JetstreamOptionsException>(() => JetstreamSubscriberMessage.ParseOptionsUpdate(full.AsSpan(0, cut)));
            Assert.Equal(JetstreamOptionsError.InvalidMessage, e.Error);
        }
        Assert.NotNull(JetstreamSubscriberMessage.ParseOptionsUpdate(full));
    }

    [Fact]
    public void DeepNesting_IsRejected()
    {
        string deep = "{\"type\":\"options_update\",\"payload\":{\"x\":" + new string('[', 100_000) + new string(']', 100_000) + "}}";
        Assert.Equal(JetstreamOptionsError.InvalidMessage, Fails(deep));
    }

    [Fact]
    public void Oversized_IsRejectedBeforeParsing()
    {
        byte[] big = new byte[JetstreamLimits.MaxSubscriberMessageBytes + 1];
        big.AsSpan().Fill((byte)' ');
        Assert.Equal(JetstreamOptionsError.MessageTooLarge,
            Assert.Throws<JetstreamOptionsException>(() => JetstreamSubscriberMessage.ParseOptionsUpdate(big)).Error);
    }

    [Fact]
    public void HugeDuplicateList_StaysBounded()
    {
        // Just under 10 MB of the same DID: accepted (one distinct DID), as Jetstream dedupes first.
        const string did = "\"did:plc:ewvi7nxzyoun6zhxrhs64oiz\"";
        int count = (JetstreamLimits.MaxSubscriberMessageBytes - 100) / (did.Length + 1);
        var sb = new StringBuilder("{\"type\":\"options_update\",\"payload\":{\"wantedDids\":[");
        for (int i = 0; i < count; i++)
            sb.Append(i == 0 ? "" : ",").Append(did);
        sb.Append("]}}");
        // Over the raw cap (1,000,000 entries)? 10 MB / 35 bytes ≈ 285k: under it, so accepted.
        JetstreamFilter filter = Parse(sb.ToString())!;
        Assert.Single(filter.WantedDids);
    }
}
