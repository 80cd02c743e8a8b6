using Alteran.Net.Jetstream;

namespace Alteran.Net.Tests.Jetstream;

public sealed class JetstreamSubscribeOptionsTests
{
    private const long Now = 1_725_911_162_329_308;

    private static JetstreamSubscribeOptions Parse(string query, string socketEncoding = "") =>
        JetstreamSubscribeOptions.Parse(query, socketEncoding, Now);

    [Fact]
    public void Empty_IsLiveTailEverythingUncompressed()
    {
        JetstreamSubscribeOptions options = Parse("");
        Assert.Same(JetstreamFilter.All, options.Filter);
        Assert.True(options.Cursor.IsLiveTail);
        Assert.False(options.Compress);
        Assert.False(options.RequireHello);
    }

    [Fact]
    public void FullQuery()
    {
        JetstreamSubscribeOptions options = Parse(
            "?wantedCollections=app.bsky.feed.post&wantedCollections=app.bsky.graph.*&wantedDids=did%3Aplc%3Aewvi7nxzyoun6zhxrhs64oiz" +
            "&wantedDids=did:web:example.com&cursor=1725911162000000&compress=true&requireHello=true&maxMessageSizeBytes=1000000&other=x");
        Assert.Equal(["app.bsky.feed.post"], options.Filter.WantedCollections);
        Assert.Equal(["app.bsky.graph."], options.Filter.WantedCollectionPrefixes);
        Assert.Equal(2, options.Filter.WantedDids.Count);
        Assert.Contains("did:plc:ewvi7nxzyoun6zhxrhs64oiz", options.Filter.WantedDids);
        Assert.False(options.Cursor.IsLiveTail);
        Assert.Equal(1725911162000000, options.Cursor.StartUs);
        Assert.True(options.Compress);
        Assert.True(options.RequireHello);
        Assert.Equal(1_000_000u, options.Filter.MaxMessageSizeBytes);
    }

    [Theory]
    [InlineData("compress=true", "", true)]
    [InlineData("compress=True", "", false)] // exactly "true", as Jetstream
    [InlineData("compress=1", "", false)]
    [InlineData("", "zstd", true)]
    [InlineData("", "gzip, zstd", true)]
    [InlineData("compress=false", "zstd", true)]
    [InlineData("", "gzip", false)]
    public void Compression_FromQueryOrHeader(string query, string header, bool expected) =>
        Assert.Equal(expected, Parse(query, header).Compress);

    [Theory]
    [InlineData("", 0u)]
    [InlineData("maxMessageSizeBytes=", 0u)]
    [InlineData("maxMessageSizeBytes=0", 0u)]
    [InlineData("maxMessageSizeBytes=-5", 0u)]
    [InlineData("maxMessageSizeBytes=abc", 0u)]
    [InlineData("maxMessageSizeBytes=1.5", 0u)]
    [InlineData("maxMessageSizeBytes=99999999999999999999999", 0u)]
    [InlineData("maxMessageSizeBytes=4294967296", 0u)]
    [InlineData("maxMessageSizeBytes=4294967295", 4294967295u)]
    [InlineData("maxMessageSizeBytes=%2B512", 512u)]
    [InlineData("maxMessageSizeBytes=1024&maxMessageSizeBytes=5", 1024u)]
    public void MaxMessageSize_LenientAsJetstream(string query, uint expected) =>
        Assert.Equal(expected, Parse(query).Filter.MaxMessageSizeBytes);

    [Fact]
    public void Cursor_PastReplays_FutureIsLiveTail()
    {
        Assert.Equal(Now, Parse($"cursor={Now}").Cursor.StartUs);
        Assert.False(Parse($"cursor={Now}").Cursor.IsLiveTail);
        Assert.True(Parse($"cursor={Now + 1}").Cursor.IsLiveTail);
        Assert.Equal(0, Parse("cursor=0").Cursor.StartUs);
        Assert.False(Parse("cursor=0").Cursor.IsLiveTail);
        Assert.Equal(-5, Parse("cursor=-5").Cursor.StartUs);
        Assert.True(Parse("cursor=").Cursor.IsLiveTail);
    }

    [Theory]
    [InlineData("cursor=abc")]
    [InlineData("cursor=1.5")]
    [InlineData("cursor=99999999999999999999")]
    [InlineData("cursor=%201")]
    [InlineData("cursor=0x10")]
    public void InvalidCursor_IsRejected(string query) =>
        Assert.Equal(JetstreamOptionsError.InvalidCursor, Assert.Throws<JetstreamOptionsException>(() => Parse(query)).Error);

    [Theory]
    [InlineData("wantedDids=%zz")]
    [InlineData("wantedDids=%4")]
    [InlineData("wantedDids=did%3")]
    [InlineData("wantedDids=a;b")]
    [InlineData("wantedDids=%FF")]
    [InlineData("wantedDids=did:plc:é")]
    public void MalformedQuery_IsRejected(string query) =>
        Assert.Equal(JetstreamOptionsError.InvalidQuery, Assert.Throws<JetstreamOptionsException>(() => Parse(query)).Error);

    [Fact]
    public void Hostile_TooLongOrTooMany()
    {
        Assert.Equal(JetstreamOptionsError.InvalidQuery, Assert.Throws<JetstreamOptionsException>(
            () => Parse(new string('a', JetstreamLimits.MaxQueryLength + 1))).Error);
        string many = string.Join('&', Enumerable.Range(0, 101).Select(i => $"wantedCollections=com.example.c{i}"));
        Assert.Equal(JetstreamOptionsError.TooManyCollections, Assert.Throws<JetstreamOptionsException>(() => Parse(many)).Error);
        string dids = string.Join('&', Enumerable.Range(0, 10_001).Select(i => $"wantedDids=did:plc:{i:D24}"));
        Assert.Equal(JetstreamOptionsError.TooManyDids, Assert.Throws<JetstreamOptionsException>(() => Parse(dids)).Error);
        Assert.Equal(JetstreamOptionsError.InvalidCollection, Assert.Throws<JetstreamOptionsException>(
            () => Parse("wantedCollections=app.bsky.fo*")).Error);
    }

    [Fact]
    public void PlusAndPercent_Decode()
    {
        // '+' decodes to a space, which makes the NSID invalid; %2A is '*'.
        Assert.Equal(JetstreamOptionsError.InvalidCollection, Assert.Throws<JetstreamOptionsException>(
            () => Parse("wantedCollections=app.bsky+feed.post")).Error);
        Assert.Equal(["app.bsky."], Parse("wantedCollections=app.bsky.%2A").Filter.WantedCollectionPrefixes);
        Assert.Equal(["app.bsky.feed.post"], Parse("wanted%43ollections=app.bsky.feed.post").Filter.WantedCollections);
    }

    [Fact]
    public void Cursor_ReplayIncludesFromCursorOn()
    {
        JetstreamCursor cursor = JetstreamCursor.From(100, nowUs: 1000);
        Assert.False(cursor.ReplayIncludes(99));
        Assert.True(cursor.ReplayIncludes(100));
        Assert.True(cursor.ReplayIncludes(1000));
        Assert.False(JetstreamCursor.LiveTail.ReplayIncludes(100));
        Assert.Equal(JetstreamCursor.LiveTail, JetstreamCursor.From(1001, nowUs: 1000));
        Assert.True(JetstreamCursor.TryParse("+100", 1000, out JetstreamCursor plus));
        Assert.Equal(cursor, plus);
        Assert.False(JetstreamCursor.TryParse(" 100", 1000, out _));
        Assert.Equal("100", cursor.ToString());
        Assert.Equal("live", JetstreamCursor.LiveTail.ToString());
    }
}
