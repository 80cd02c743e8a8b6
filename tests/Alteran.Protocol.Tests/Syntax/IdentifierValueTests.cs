using System.Text;
using Alteran.Protocol.Syntax;

namespace Alteran.Protocol.Tests.Syntax;

/// <summary>The value types: parts, normalisation, equality, round trips and parse errors.</summary>
public sealed class IdentifierValueTests
{
    [Fact]
    public void HandleIsNormalisedToLowerCase()
    {
        Handle a = Handle.Parse("XX.LCS.MIT.EDU");
        Handle b = Handle.Parse("xx.lcs.mit.edu"u8);
        Handle c = Handle.Parse("Xx.Lcs.Mit.Edu".AsSpan());
        Assert.Equal("xx.lcs.mit.edu", a.ToString());
        Assert.Equal(a, b);
        Assert.Equal(a, c);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), c.GetHashCode());
        Assert.True(Handle.TryParse("ALICE.Test"u8, out Handle d));
        Assert.Equal("alice.test", d.Value);
    }

    [Fact]
    public void HandleReusesAnAlreadyLowerCaseString()
    {
        string text = "alice.bsky.social";
        Assert.Same(text, Handle.Parse(text).Value);
    }

    [Theory]
    [InlineData("laptop.local", true)]
    [InlineData("laptop.ARPA", true)]
    [InlineData("a.invalid", true)]
    [InlineData("a.localhost", true)]
    [InlineData("a.internal", true)]
    [InlineData("a.example", true)]
    [InlineData("a.alt", true)]
    [InlineData("expyuzz4wqqyqhjn.onion", true)]
    [InlineData("john.test", false)]
    [InlineData("alice.bsky.social", false)]
    [InlineData("local.com", false)]
    [InlineData("example.com", false)]
    public void DisallowedTldsAreSyntaxValidButNotServable(string handle, bool disallowed)
    {
        Assert.True(Handle.IsValid(handle));
        Assert.Equal(disallowed, Handle.IsDisallowedTld(handle));
        Assert.Equal(!disallowed, Handle.Parse(handle).IsServable);
    }

    [Fact]
    public void TestTldIsFlaggedSeparately()
    {
        Assert.True(Handle.IsTestTld("john.TEST"));
        Assert.False(Handle.IsTestTld("john.testing"));
        Assert.True(Handle.Parse("john.test").IsServable);
    }

    [Fact]
    public void DidExposesMethodAndIdentifier()
    {
        Did did = Did.Parse("did:plc:7iza6de2dwap2sbkpav7c6c6");
        Assert.Equal("plc", did.Method.ToString());
        Assert.Equal("7iza6de2dwap2sbkpav7c6c6", did.Identifier.ToString());
        Assert.True(did.IsPlc);
        Assert.False(did.IsWeb);
        Did web = Did.Parse("did:web:localhost%3A1234"u8);
        Assert.True(web.IsWeb);
        Assert.Equal("localhost%3A1234", web.Identifier.ToString());
        // DIDs are case-sensitive.
        Assert.NotEqual(Did.Parse("did:method:VAL"), Did.Parse("did:method:val"));
        Assert.Throws<FormatException>(() => Did.Parse("did:METHOD:val"));
        Assert.True(default(Did).IsEmpty);
        Assert.Equal("", default(Did).ToString());
    }

    [Fact]
    public void NsidSplitsAuthorityAndName()
    {
        Nsid nsid = Nsid.Parse("app.bsky.feed.post");
        Assert.Equal("app.bsky.feed", nsid.Authority.ToString());
        Assert.Equal("post", nsid.Name.ToString());
        Assert.Equal(nsid, Nsid.Parse("app.bsky.feed.post"u8));
        Assert.NotEqual(nsid, Nsid.Parse("app.bsky.feed.Post"));
        Assert.Throws<FormatException>(() => Nsid.Parse("app.bsky"));
    }

    [Fact]
    public void RecordKeyBasics()
    {
        Assert.Equal("self", RecordKey.Self.ToString());
        Tid tid = Tid.FromTimestamp(1_700_000_000_000_000, 1);
        Assert.Equal(tid.ToString(), RecordKey.FromTid(tid).Value);
        Assert.Throws<FormatException>(() => RecordKey.Parse(".."));
        Assert.True(RecordKey.Parse("a").CompareTo(RecordKey.Parse("b")) < 0);
    }

    [Fact]
    public void AtIdentifierKnowsItsKind()
    {
        AtIdentifier did = AtIdentifier.Parse("did:plc:abc123");
        Assert.True(did.IsDid);
        Assert.False(did.IsHandle);
        Assert.Equal(Did.Parse("did:plc:abc123"), did.AsDid());
        Assert.Throws<InvalidOperationException>(() => did.AsHandle());

        AtIdentifier handle = AtIdentifier.Parse("Alice.Test"u8);
        Assert.True(handle.IsHandle);
        Assert.Equal("alice.test", handle.Value);
        Assert.Equal(Handle.Parse("alice.test"), handle.AsHandle());
        Assert.Throws<InvalidOperationException>(() => handle.AsDid());
        Assert.Throws<FormatException>(() => AtIdentifier.Parse("@alice.test"));
    }

    [Fact]
    public void AtUriExposesItsParts()
    {
        AtUri full = AtUri.Parse("at://did:plc:asdf123/com.atproto.feed.post/3jzfcijpj2z2a");
        Assert.Equal("did:plc:asdf123", full.AuthoritySpan.ToString());
        Assert.True(full.Authority.IsDid);
        Assert.Equal(Nsid.Parse("com.atproto.feed.post"), full.Collection);
        Assert.Equal(RecordKey.Parse("3jzfcijpj2z2a"), full.RecordKey);
        Assert.True(full.IsRecord);
        Assert.True(full.FragmentSpan.IsEmpty);

        AtUri repo = AtUri.Parse("at://User.Bsky.Social"u8);
        Assert.Equal("User.Bsky.Social", repo.AuthoritySpan.ToString());
        Assert.Equal("user.bsky.social", repo.Authority.Value);
        Assert.Null(repo.Collection);
        Assert.Null(repo.RecordKey);
        Assert.False(repo.IsRecord);

        AtUri collection = AtUri.Parse("at://did:abc:123/io.nsid.someFunc");
        Assert.Equal("io.nsid.someFunc", collection.Collection!.Value.Value);
        Assert.Null(collection.RecordKey);

        AtUri fragment = AtUri.Parse("at://did:plc:asdf123/com.atproto.feed.post/rkey#/text/0");
        Assert.Equal("rkey", fragment.RecordKeySpan.ToString());
        Assert.Equal("/text/0", fragment.FragmentSpan.ToString());
        AtUri fragmentOnly = AtUri.Parse("at://did:plc:asdf123#/a");
        Assert.True(fragmentOnly.CollectionSpan.IsEmpty);
        Assert.Equal("/a", fragmentOnly.FragmentSpan.ToString());
        Assert.Equal("did:plc:asdf123", fragmentOnly.AuthoritySpan.ToString());
    }

    [Fact]
    public void AtUriBuildersRoundTrip()
    {
        var did = Did.Parse("did:plc:7iza6de2dwap2sbkpav7c6c6");
        AtUri built = AtUri.ForRecord(did, Nsid.Parse("app.bsky.feed.post"), RecordKey.Parse("3jzfcijpj2z2a"));
        Assert.Equal("at://did:plc:7iza6de2dwap2sbkpav7c6c6/app.bsky.feed.post/3jzfcijpj2z2a", built.ToString());
        AtUri parsed = AtUri.Parse(built.ToString());
        Assert.Equal(parsed, built);
        Assert.Equal(parsed.RecordKey, built.RecordKey);
        Assert.Equal(parsed.Collection, built.Collection);
        Assert.Equal(parsed.Authority, built.Authority);

        AtUri coll = AtUri.ForCollection(Handle.Parse("alice.test"), Nsid.Parse("app.bsky.feed.like"));
        Assert.Equal("at://alice.test/app.bsky.feed.like", coll.ToString());
        Assert.Null(coll.RecordKey);
        Assert.Throws<ArgumentException>(() => AtUri.ForRecord(default, Nsid.Parse("a.b.c"), RecordKey.Self));
    }

    [Fact]
    public void ParseThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => AtUri.Parse("at://did:plc:asdf123/"));
        Assert.Throws<FormatException>(() => Handle.Parse("john"u8));
        Assert.Throws<FormatException>(() => AtDatetime.Parse("1985-00-12T23:20:50.123Z"));
        Assert.Throws<FormatException>(() => Nsid.Parse("a.b.c-d"u8));
    }

    [Fact]
    public void NonAsciiNeverPassesAsciiFormats()
    {
        string[] values = ["jöhn.test", "did:plc:ä", "com.exämple.post", "at://ä.test", "sélf", "3jzfcijpj2z2ä", "ja-ä"];
        foreach (string v in values)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(v);
            Assert.False(Handle.IsValid(v) || Handle.IsValid(utf8));
            Assert.False(Did.IsValid(v) || Did.IsValid(utf8));
            Assert.False(Nsid.IsValid(v) || Nsid.IsValid(utf8));
            Assert.False(AtUri.IsValid(v) || AtUri.IsValid(utf8));
            Assert.False(RecordKey.IsValid(v) || RecordKey.IsValid(utf8));
            Assert.False(Tid.IsValid(v) || Tid.IsValid(utf8));
            Assert.False(LanguageTag.IsValid(v) || LanguageTag.IsValid(utf8));
        }
        // A char whose low byte is ASCII must not be mistaken for that ASCII character.
        Assert.False(Handle.IsValid("john\u012Etest")); // U+012E: low byte 0x2E is '.'
        Assert.False(RecordKey.IsValid("\u0161elf"));    // U+0161: low byte 0x61 is 'a'
    }
}
