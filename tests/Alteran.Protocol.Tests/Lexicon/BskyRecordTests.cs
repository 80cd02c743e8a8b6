using System.Text.Json;
using System.Text.Json.Nodes;
using Alteran.Protocol.Lexicon;

namespace Alteran.Protocol.Tests.Lexicon;

/// <summary>Real app.bsky records against the embedded lexicons, and broken variants of them.</summary>
public class BskyRecordTests
{
    private static readonly string s_imageCid = Cid.ForRaw("a picture of a cat"u8).ToString();
    private static readonly string s_postCid = Cid.ForDagCbor("a post"u8).ToString();

    internal static string Post => $$$"""
    {
      "$type": "app.bsky.feed.post",
      "text": "Hello @alice.bsky.social, see https://example.com #atproto ✨",
      "createdAt": "2024-11-20T12:34:56.789Z",
      "langs": ["en", "pt-BR"],
      "facets": [
        {"index": {"byteStart": 6, "byteEnd": 24},
         "features": [{"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:z72i7hdynmk6r22z27h6tvur"}]},
        {"index": {"byteStart": 30, "byteEnd": 49},
         "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://example.com"}]},
        {"index": {"byteStart": 50, "byteEnd": 58},
         "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "atproto"}]}
      ],
      "embed": {
        "$type": "app.bsky.embed.images",
        "images": [
          {"alt": "a cat",
           "image": {"$type": "blob", "ref": {"$link": "{{{s_imageCid}}}"}, "mimeType": "image/jpeg", "size": 123456},
           "aspectRatio": {"width": 1000, "height": 750}}
        ]
      },
      "reply": {
        "root": {"uri": "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3kzt5b7jnbc2u", "cid": "{{{s_postCid}}}"},
        "parent": {"uri": "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3kzt5b7jnbc2u", "cid": "{{{s_postCid}}}"}
      }
    }
    """;

    internal static string Profile => $$$"""
    {
      "$type": "app.bsky.actor.profile",
      "displayName": "Alice 🌈",
      "description": "Writes about cats.\nAnd dogs.",
      "avatar": {"$type": "blob", "ref": {"$link": "{{{s_imageCid}}}"}, "mimeType": "image/png", "size": 50000},
      "banner": {"$type": "blob", "ref": {"$link": "{{{s_imageCid}}}"}, "mimeType": "image/jpeg", "size": 900000},
      "labels": {"$type": "com.atproto.label.defs#selfLabels", "values": [{"val": "!no-unauthenticated"}]},
      "createdAt": "2024-01-01T00:00:00Z"
    }
    """;

    private const string Follow = """
    {"$type": "app.bsky.graph.follow", "subject": "did:plc:z72i7hdynmk6r22z27h6tvur", "createdAt": "2024-11-20T12:34:56Z"}
    """;

    private static LexiconValidationResult Validate(string collection, string json)
    {
        using JsonDocument doc = LexiconFixtures.ParseJson(json);
        return LexiconCatalog.Default.ValidateRecord(collection, doc.RootElement);
    }

    private static string Edit(string json, Action<JsonObject> edit)
    {
        JsonObject node = JsonNode.Parse(json)!.AsObject();
        edit(node);
        return node.ToJsonString();
    }

    [Fact]
    public void Real_records_are_valid()
    {
        Assert.True(Validate("app.bsky.feed.post", Post).IsValid, Validate("app.bsky.feed.post", Post).ToString());
        Assert.True(Validate("app.bsky.actor.profile", Profile).IsValid, Validate("app.bsky.actor.profile", Profile).ToString());
        Assert.True(Validate("app.bsky.graph.follow", Follow).IsValid, Validate("app.bsky.graph.follow", Follow).ToString());
    }

    [Fact]
    public void Post_text_limits_count_graphemes_and_bytes()
    {
        string at300 = string.Concat(Enumerable.Repeat("👩‍👩‍👦‍👦", 300)); // 300 graphemes, 7500 bytes
        Assert.Equal("Record/text must not be longer than 3000 bytes (UTF-8)",
            Validate("app.bsky.feed.post", Edit(Post, o => o["text"] = at300)).Message);
        Assert.True(Validate("app.bsky.feed.post", Edit(Post, o => o["text"] = new string('a', 300))).IsValid);
        Assert.True(Validate("app.bsky.feed.post", Edit(Post, o => o["text"] = string.Concat(Enumerable.Repeat("e\u0301", 300)))).IsValid);
        Assert.Equal("Record/text must not be longer than 300 graphemes",
            Validate("app.bsky.feed.post", Edit(Post, o => o["text"] = new string('a', 301))).Message);
        Assert.Equal("Record/text must not be longer than 300 graphemes",
            Validate("app.bsky.feed.post", Edit(Post, o => o["text"] = string.Concat(Enumerable.Repeat("é", 301)))).Message);
    }

    [Theory]
    [InlineData("not a date")]
    [InlineData("2024-11-20")]
    [InlineData("2024-11-20T12:34:56")]
    public void Bad_createdAt_is_rejected(string createdAt)
    {
        Assert.Equal("Record/createdAt must be a valid datetime",
            Validate("app.bsky.feed.post", Edit(Post, o => o["createdAt"] = createdAt)).Message);
    }

    [Fact]
    public void Broken_variants_are_rejected_with_their_path()
    {
        Assert.Equal("Record must have the property \"createdAt\"",
            Validate("app.bsky.feed.post", Edit(Post, o => o.Remove("createdAt"))).Message);
        Assert.Equal("Record must have the property \"text\"",
            Validate("app.bsky.feed.post", Edit(Post, o => o.Remove("text"))).Message);
        Assert.Equal("Record must have the property \"subject\"",
            Validate("app.bsky.graph.follow", Edit(Follow, o => o.Remove("subject"))).Message);
        Assert.Equal("Record/subject must be a valid did",
            Validate("app.bsky.graph.follow", Edit(Follow, o => o["subject"] = "alice.bsky.social")).Message);
        Assert.Equal("Record/embed/images/0/alt must be a string",
            Validate("app.bsky.feed.post", Edit(Post, o => o["embed"]!["images"]![0]!["alt"] = 5)).Message);
        Assert.Equal("Record/embed/images/0 must have the property \"alt\"",
            Validate("app.bsky.feed.post", Edit(Post, o => o["embed"]!["images"]![0]!.AsObject().Remove("alt"))).Message);
        Assert.Equal("Record/embed/images/0/image mimeType must be one of image/*",
            Validate("app.bsky.feed.post", Edit(Post, o => o["embed"]!["images"]![0]!["image"]!["mimeType"] = "video/mp4")).Message);
        Assert.Equal("Record/embed/images/0/image size must not be greater than 2000000 bytes",
            Validate("app.bsky.feed.post", Edit(Post, o => o["embed"]!["images"]![0]!["image"]!["size"] = 2000001)).Message);
        Assert.Equal("Record/facets/0/features/0/did must be a valid did",
            Validate("app.bsky.feed.post", Edit(Post, o => o["facets"]![0]!["features"]![0]!["did"] = "nope")).Message);
        Assert.Equal("Record/langs/1 must be a valid language",
            Validate("app.bsky.feed.post", Edit(Post, o => o["langs"]![1] = "not a language")).Message);
        Assert.Equal("Record/reply/root/cid must be a valid cid",
            Validate("app.bsky.feed.post", Edit(Post, o => o["reply"]!["root"]!["cid"] = "bafy")).Message);
        Assert.Equal("Record/avatar mimeType must be one of image/png, image/jpeg",
            Validate("app.bsky.actor.profile", Edit(Profile, o => o["avatar"]!["mimeType"] = "image/gif")).Message);
        Assert.Equal("Record/displayName must not be longer than 64 graphemes",
            Validate("app.bsky.actor.profile", Edit(Profile, o => o["displayName"] = new string('x', 65))).Message);
    }

    [Fact]
    public void Embed_union_checks_the_member_named_by_type()
    {
        // A known member with the wrong shape: images data labelled as an external embed.
        string wrongType = Edit(Post, o => o["embed"]!["$type"] = "app.bsky.embed.external");
        Assert.Equal("Record/embed must have the property \"external\"", Validate("app.bsky.feed.post", wrongType).Message);
        // `#main` spelling of the same type is accepted.
        Assert.True(Validate("app.bsky.feed.post", Edit(Post, o => o["embed"]!["$type"] = "app.bsky.embed.images#main")).IsValid);
        // The union is open: a type this server does not know is accepted as is.
        Assert.True(Validate("app.bsky.feed.post", Edit(Post, o => o["embed"] = new JsonObject { ["$type"] = "com.example.embed", ["x"] = 1 })).IsValid);
        // ... but $type is required.
        Assert.Equal("Record/embed must be an object which includes the \"$type\" property",
            Validate("app.bsky.feed.post", Edit(Post, o => o["embed"]!.AsObject().Remove("$type"))).Message);
    }

    [Fact]
    public void Legacy_and_malformed_blobs_are_rejected()
    {
        string legacy = Edit(Profile, o => o["avatar"] = new JsonObject { ["cid"] = s_imageCid, ["mimeType"] = "image/png" });
        Assert.StartsWith("Record/avatar must be a blob", Validate("app.bsky.actor.profile", legacy).Message);
        string badLink = Edit(Profile, o => o["avatar"]!["ref"] = new JsonObject { ["$link"] = "nope" });
        Assert.StartsWith("Record/avatar must be a blob", Validate("app.bsky.actor.profile", badLink).Message);
        string negative = Edit(Profile, o => o["avatar"]!["size"] = -1);
        Assert.StartsWith("Record/avatar must be a blob", Validate("app.bsky.actor.profile", negative).Message);
        string fraction = Edit(Profile, o => o["avatar"]!["size"] = 1.5);
        Assert.StartsWith("Record/avatar must be a blob", Validate("app.bsky.actor.profile", fraction).Message);
    }

    [Fact]
    public void Escaped_strings_are_measured_after_unescaping()
    {
        // 300 'a' written as \u0061: 1800 bytes of JSON, 300 bytes of text.
        string text = string.Concat(Enumerable.Repeat("\\u0061", 300));
        string json = Post.Replace("\"Hello @alice.bsky.social, see https://example.com #atproto ✨\"", "\"" + text + "\"");
        Assert.True(Validate("app.bsky.feed.post", json).IsValid);
        Assert.Equal("Record/text must not be longer than 300 graphemes", Validate("app.bsky.feed.post", json.Replace(text, text + "\\u0061")).Message);
        string escapedDate = Post.Replace("2024-11-20T12:34:56.789Z", "2024-11-20T12:34:56.789\\u005A");
        Assert.True(Validate("app.bsky.feed.post", escapedDate).IsValid);
        Assert.True(Validate("app.bsky.feed.post", Post.Replace("\"$type\": \"app.bsky.feed.post\"", "\"$type\": \"app.bsky.feed.pos\\u0074\"")).IsValid);
    }

    [Fact]
    public void Record_keys_follow_the_key_type()
    {
        LexiconCatalog c = LexiconCatalog.Default;
        Assert.True(c.ValidateRecordKey("app.bsky.feed.post", "3kzt5b7jnbc2u").IsValid);
        Assert.False(c.ValidateRecordKey("app.bsky.feed.post", "self").IsValid);
        Assert.True(c.ValidateRecordKey("app.bsky.actor.profile", "self").IsValid);
        Assert.False(c.ValidateRecordKey("app.bsky.actor.profile", "3kzt5b7jnbc2u").IsValid);
        Assert.False(c.ValidateRecordKey("app.bsky.actor.profile", "selff").IsValid);
        Assert.True(c.ValidateRecordKey("app.bsky.feed.generator", "whats-hot").IsValid); // any
        Assert.False(c.ValidateRecordKey("app.bsky.feed.generator", "..").IsValid);
        Assert.False(c.ValidateRecordKey("app.bsky.feed.generator", "a/b").IsValid);
        Assert.Equal(LexiconValidationStatus.LexiconNotFound, c.ValidateRecordKey("com.example.nothing", "abc").Status);
        Assert.Equal(LexiconValidationStatus.Invalid, c.ValidateRecordKey("com.example.nothing", "a b").Status);
    }

    [Fact]
    public void Nsid_record_keys()
    {
        Assert.True(LexiconCatalog.Default.TryGetDocument("com.atproto.lexicon.schema", out _));
        LexiconCatalog c = LexiconCatalog.Default;
        Assert.True(c.ValidateRecordKey("com.atproto.lexicon.schema", "app.bsky.feed.post").IsValid);
        Assert.False(c.ValidateRecordKey("com.atproto.lexicon.schema", "3kzt5b7jnbc2u").IsValid);
    }

    [Fact]
    public void Values_can_be_checked_against_any_definition()
    {
        using JsonDocument doc = LexiconFixtures.ParseJson("""{"uri": "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3kzt5b7jnbc2u"}""");
        Assert.Equal("Input must have the property \"cid\"", LexiconCatalog.Default.ValidateValue("com.atproto.repo.strongRef", doc.RootElement, "Input").Message);
        Assert.Equal(LexiconValidationStatus.LexiconNotFound, LexiconCatalog.Default.ValidateValue("com.example.nothing#x", doc.RootElement).Status);
    }

    [Fact]
    public void Validating_a_valid_record_allocates_nothing()
    {
        using JsonDocument post = LexiconFixtures.ParseJson(Post);
        using JsonDocument profile = LexiconFixtures.ParseJson(Profile);
        LexiconCatalog catalog = LexiconCatalog.Default;
        // Warm up: loads the lexicons and caches resolved references.
        Assert.True(catalog.ValidateRecord("app.bsky.feed.post", post.RootElement).IsValid);
        Assert.True(catalog.ValidateRecord("app.bsky.actor.profile", profile.RootElement).IsValid);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            catalog.ValidateRecord("app.bsky.feed.post", post.RootElement);
            catalog.ValidateRecord("app.bsky.actor.profile", profile.RootElement);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Concurrent_first_use_loads_and_validates_consistently()
    {
        // A fresh catalog: lexicon loading and reference caching race on first use.
        LexiconCatalog catalog = LexiconCatalog.CreateWithEmbedded();
        using JsonDocument post = LexiconFixtures.ParseJson(Post);
        using JsonDocument bad = LexiconFixtures.ParseJson(Edit(Post, o => o["embed"]!["images"]![0]!["alt"] = 5));
        var results = new LexiconValidationResult[64];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            results[i] = catalog.ValidateRecord("app.bsky.feed.post", (i % 2 == 0 ? post : bad).RootElement));
        for (int i = 0; i < results.Length; i++)
        {
            if (i % 2 == 0)
                Assert.True(results[i].IsValid, results[i].ToString());
            else
                Assert.Equal("Record/embed/images/0/alt must be a string", results[i].Message);
        }
    }

    [Fact]
    public void Xrpc_bodies_are_checked_against_input_and_output_schemas()
    {
        LexiconCatalog c = LexiconCatalog.Default;
        using JsonDocument input = LexiconFixtures.ParseJson("""{"repo": "alice.bsky.social", "collection": "app.bsky.feed.post", "record": {"text": "hi"}}""");
        Assert.True(c.ValidateInput("com.atproto.repo.createRecord", input.RootElement).IsValid);
        using JsonDocument noRepo = LexiconFixtures.ParseJson("""{"collection": "app.bsky.feed.post", "record": {}}""");
        Assert.Equal("Input must have the property \"repo\"", c.ValidateInput("com.atproto.repo.createRecord", noRepo.RootElement).Message);
        using JsonDocument badCollection = LexiconFixtures.ParseJson("""{"repo": "alice.bsky.social", "collection": "nope", "record": {}}""");
        Assert.Equal("Input/collection must be a valid nsid", c.ValidateInput("com.atproto.repo.createRecord", badCollection.RootElement).Message);
        using JsonDocument output = LexiconFixtures.ParseJson($$"""{"uri": "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3kzt5b7jnbc2u", "cid": "{{s_postCid}}"}""");
        Assert.True(c.ValidateOutput("com.atproto.repo.createRecord", output.RootElement).IsValid);
        Assert.Equal("Output must have the property \"availableUserDomains\"", c.ValidateOutput("com.atproto.server.describeServer", output.RootElement).Message);
        Assert.Equal(LexiconValidationStatus.LexiconNotFound, c.ValidateInput("com.atproto.server.describeServer", output.RootElement).Status); // a query has no input
        Assert.Equal(LexiconValidationStatus.LexiconNotFound, c.ValidateInput("app.bsky.feed.post", output.RootElement).Status);
    }
}
