using System.Text;
using Alteran.Net.Jetstream;

namespace Alteran.Net.Tests.Jetstream;

public sealed class JetstreamFilterTests
{
    private const string Alice = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";
    private const string Bob = "did:web:bob.example.com";

    // Checks both the UTF-8 and the UTF-16 paths, which must always agree.
    private static bool Matches(JetstreamFilter filter, string did, string collection)
    {
        bool utf8 = filter.Matches(Encoding.UTF8.GetBytes(did), Encoding.UTF8.GetBytes(collection));
        bool utf16 = filter.Matches(did.AsSpan(), collection.AsSpan());
        Assert.Equal(utf8, utf16);
        return utf8;
    }

    [Fact]
    public void NoOptions_MatchesEverything()
    {
        JetstreamFilter filter = JetstreamFilter.Create(null, null);
        Assert.Same(JetstreamFilter.All, filter);
        Assert.Same(JetstreamFilter.All, JetstreamFilter.Create([], []));
        Assert.True(Matches(filter, Alice, "app.bsky.feed.post"));
        Assert.True(Matches(filter, Bob, ""));
        Assert.True(filter.AcceptsSize(int.MaxValue));
    }

    [Fact]
    public void ExactCollections()
    {
        JetstreamFilter filter = JetstreamFilter.Create(["app.bsky.feed.post", "app.bsky.feed.like"], null);
        Assert.True(Matches(filter, Alice, "app.bsky.feed.post"));
        Assert.True(Matches(filter, Bob, "app.bsky.feed.like"));
        Assert.False(Matches(filter, Alice, "app.bsky.feed.repost"));
        Assert.False(Matches(filter, Alice, "app.bsky.feed.postx"));
        Assert.False(Matches(filter, Alice, "app.bsky.feed.pos"));
        Assert.False(Matches(filter, Alice, "APP.bsky.feed.post")); // exact, case-sensitive, as Jetstream
        // Identity and account events (no collection) always pass the collection filter.
        Assert.True(Matches(filter, Alice, ""));
    }

    [Fact]
    public void PrefixCollections()
    {
        JetstreamFilter filter = JetstreamFilter.Create(["app.bsky.graph.*", "app.*"], null);
        Assert.True(Matches(filter, Alice, "app.bsky.graph.follow"));
        Assert.True(Matches(filter, Alice, "app.bsky.feed.post"));
        Assert.False(Matches(filter, Alice, "com.example.thing"));
        Assert.False(Matches(filter, Alice, "apple.thing.x")); // prefix includes the dot

        JetstreamFilter graph = JetstreamFilter.Create(["app.bsky.graph.*"], null);
        Assert.True(Matches(graph, Alice, "app.bsky.graph.block"));
        Assert.False(Matches(graph, Alice, "app.bsky.graphs.block"));
        Assert.False(Matches(graph, Alice, "app.bsky.graph"));
        Assert.Equal(["app.bsky.graph."], graph.WantedCollectionPrefixes);
    }

    [Fact]
    public void ExactAndPrefixTogether()
    {
        JetstreamFilter filter = JetstreamFilter.Create(["app.bsky.graph.*", "app.bsky.feed.post"], null);
        Assert.True(Matches(filter, Alice, "app.bsky.graph.follow"));
        Assert.True(Matches(filter, Alice, "app.bsky.feed.post"));
        Assert.False(Matches(filter, Alice, "app.bsky.feed.like"));
    }

    [Fact]
    public void Dids_FilterAllKinds()
    {
        JetstreamFilter filter = JetstreamFilter.Create(null, [Alice]);
        Assert.True(Matches(filter, Alice, "app.bsky.feed.post"));
        Assert.True(Matches(filter, Alice, ""));
        Assert.False(Matches(filter, Bob, "app.bsky.feed.post"));
        Assert.False(Matches(filter, Bob, "")); // identity/account events respect wantedDids
        Assert.False(Matches(filter, Alice + "x", ""));
        Assert.False(Matches(filter, Alice[..^1], ""));
        Assert.False(filter.Matches("did:plc:ewvi7nxzyoun6zhxrhs64oi\u00e9"u8, default)); // non-ASCII never matches
    }

    [Fact]
    public void DidsAndCollections_BothMustMatch()
    {
        JetstreamFilter filter = JetstreamFilter.Create(["app.bsky.feed.post"], [Alice, Bob]);
        Assert.True(Matches(filter, Alice, "app.bsky.feed.post"));
        Assert.True(Matches(filter, Bob, "app.bsky.feed.post"));
        Assert.False(Matches(filter, Alice, "app.bsky.feed.like"));
        Assert.False(Matches(filter, "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa", "app.bsky.feed.post"));
        Assert.True(Matches(filter, Bob, ""));
    }

    [Fact]
    public void Limits_CountDistinctEntries()
    {
        string[] hundred = [.. Enumerable.Range(0, 100).Select(i => $"com.example.c{i}")];
        Assert.Equal(100, JetstreamFilter.Create(hundred, null).WantedCollections.Count);
        // Duplicates don't count (a sloppy list is fine), as in Jetstream.
        Assert.Equal(100, JetstreamFilter.Create([.. hundred, .. hundred, "com.example.c0"], null).WantedCollections.Count);
        Assert.Equal(JetstreamOptionsError.TooManyCollections,
            Assert.Throws<JetstreamOptionsException>(() => JetstreamFilter.Create([.. hundred, "com.example.extra"], null)).Error);
        Assert.Equal(JetstreamOptionsError.TooManyCollections,
            Assert.Throws<JetstreamOptionsException>(() => JetstreamFilter.Create([.. hundred, "com.*"], null)).Error);
        string[] tooManyRaw = [.. Enumerable.Repeat("a.b.c", JetstreamLimits.MaxWantedCollections * 100 + 1)];
        Assert.Equal(JetstreamOptionsError.TooManyCollections,
            Assert.Throws<JetstreamOptionsException>(() => JetstreamFilter.Create(tooManyRaw, null)).Error);

        string[] dids = [.. Enumerable.Range(0, 10_000).Select(i => $"did:plc:{i:D24}")];
        JetstreamFilter ok = JetstreamFilter.Create(null, [.. dids, .. dids.Take(50)]);
        Assert.Equal(10_000, ok.WantedDids.Count);
        Assert.True(Matches(ok, dids[9_999], ""));
        Assert.Equal(JetstreamOptionsError.TooManyDids,
            Assert.Throws<JetstreamOptionsException>(() => JetstreamFilter.Create(null, [.. dids, "did:plc:extra"])).Error);
    }

    [Theory]
    [InlineData("app.bsky.fo*")]
    [InlineData("*")]
    [InlineData(".*")]
    [InlineData("app..*")]
    [InlineData("app.bsky.*.*")]
    [InlineData("app bsky.*")]
    [InlineData("app.bsky.feed.post ")]
    [InlineData("")]
    [InlineData("post")]
    [InlineData("app.bsky")]
    [InlineData("app.bsky.feed.post/x")]
    [InlineData("app.bsky.feed.pöst")]
    [InlineData("1app.bsky.feed.")]
    public void InvalidCollections_AreRejected(string collection)
    {
        var e = Assert.Throws<JetstreamOptionsException>(() => JetstreamFilter.Create([collection], null));
        Assert.Equal(JetstreamOptionsError.InvalidCollection, e.Error);
    }

    [Fact]
    public void OverlongPrefix_IsRejected()
    {
        string segment = new('a', 64);
        Assert.Equal(JetstreamOptionsError.InvalidCollection,
            Assert.Throws<JetstreamOptionsException>(() => JetstreamFilter.Create([segment + ".*"], null)).Error);
        string many = string.Join('.', Enumerable.Repeat("abcdefghij", 40)) + ".*";
        Assert.Equal(JetstreamOptionsError.InvalidCollection,
            Assert.Throws<JetstreamOptionsException>(() => JetstreamFilter.Create([many], null)).Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("did:plc")]
    [InlineData("DID:plc:abc")]
    [InlineData("did:plc:abc def")]
    [InlineData("alice.example.com")]
    [InlineData("did:plc:abc:")]
    public void InvalidDids_AreRejected(string did)
    {
        var e = Assert.Throws<JetstreamOptionsException>(() => JetstreamFilter.Create(null, [did]));
        Assert.Equal(JetstreamOptionsError.InvalidDid, e.Error);
        Assert.True(e.Message.Length < 120);
    }

    [Fact]
    public void ErrorMessages_QuoteShortPrintablePrefix()
    {
        string hostile = "bad\u0000\n" + new string('x', 10_000);
        var e = Assert.Throws<JetstreamOptionsException>(() => JetstreamFilter.Create([hostile], null));
        Assert.True(e.Message.Length < 100);
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\0', e.Message);
    }

    [Fact]
    public void SizeCap_AppliesToWhatTheSubscriberReceives()
    {
        JetstreamFilter filter = JetstreamFilter.Create(null, null, maxMessageSizeBytes: 100);
        Assert.True(filter.AcceptsSize(100));
        Assert.False(filter.AcceptsSize(101));

        using var encoder = new JetstreamEncoder();
        (byte[] block, Alteran.Protocol.Cid cid) = JetstreamTestData.Record(JetstreamTestData.PostJson);
        JetstreamEncodedEvent evt = encoder.CreateCommitEvent(new JetstreamCommit
        {
            Did = Alice, TimeUs = 1, Rev = JetstreamTestData.Rev, Operation = JetstreamOperation.Create,
            Collection = "app.bsky.feed.post", RecordKey = "k", Record = block, Cid = cid,
        }, compress: true);
        uint jsonLength = (uint)evt.Json.Length, zstdLength = (uint)evt.Compressed.Length;
        Assert.True(zstdLength < jsonLength);
        // A cap between the two sizes passes the zstd frame but not the JSON, as Jetstream checks the sent bytes.
        JetstreamFilter between = JetstreamFilter.Create(null, null, maxMessageSizeBytes: zstdLength);
        Assert.True(between.Wants(evt, compressed: true));
        Assert.False(between.Wants(evt, compressed: false));
        Assert.True(JetstreamFilter.Create(["app.bsky.feed.*"], [Alice], jsonLength).Wants(evt, compressed: false));
        Assert.False(JetstreamFilter.Create(["app.bsky.graph.*"], null).Wants(evt, compressed: false));
    }

    [Fact]
    public void Matching_AllocatesNothing()
    {
        string[] dids = [.. Enumerable.Range(0, 1000).Select(i => $"did:plc:{i:D24}")];
        JetstreamFilter filter = JetstreamFilter.Create(["app.bsky.graph.*", "app.bsky.feed.post", "app.bsky.feed.like"], dids);
        byte[] did = Encoding.UTF8.GetBytes(dids[500]);
        byte[] post = "app.bsky.feed.post"u8.ToArray(), follow = "app.bsky.graph.follow"u8.ToArray(), other = "com.x.y"u8.ToArray();
        int hits = Count(filter, did, post, follow, other);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
            hits += Count(filter, did, post, follow, other);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(101 * 3, hits);

        static int Count(JetstreamFilter f, byte[] did, byte[] a, byte[] b, byte[] c) =>
            (f.Matches(did, a) ? 1 : 0) + (f.Matches(did, b) ? 1 : 0) + (f.Matches(did, c) ? 1 : 0)
            + (f.Matches("did:plc:nobody"u8, a) ? 1 : 0) + (f.Matches(Did500Chars.AsSpan(), "app.bsky.feed.post".AsSpan()) ? 1 : 0);
    }

    private static readonly string Did500Chars = $"did:plc:{500:D24}";
}
