using System.Text;
using System.Text.Json;
using Alteran.Protocol.Lexicon;
using Alteran.Protocol.Lexicon.Schema;

namespace Alteran.Protocol.Tests.Lexicon;

public class LexiconDocumentTests
{
    public static IEnumerable<object[]> ValidLexicons => LexiconFixtures.Cases("lexicon-valid.json");

    public static IEnumerable<object[]> InvalidLexicons => LexiconFixtures.Cases("lexicon-invalid.json");

    [Theory]
    [MemberData(nameof(ValidLexicons))]
    public void Interop_valid_lexicon_is_accepted(int index, string name)
    {
        using JsonDocument doc = LexiconFixtures.Load("lexicon-valid.json");
        JsonElement lexicon = LexiconFixtures.Case(doc, index).GetProperty("lexicon");
        Assert.True(LexiconDocument.TryParse(lexicon, out LexiconDocument? parsed, out string? error), $"{name}: {error}");
        Assert.Equal(lexicon.GetProperty("id").GetString(), parsed.Id);
    }

    [Theory]
    [MemberData(nameof(InvalidLexicons))]
    public void Interop_invalid_lexicon_is_rejected(int index, string name)
    {
        using JsonDocument doc = LexiconFixtures.Load("lexicon-invalid.json");
        JsonElement lexicon = LexiconFixtures.Case(doc, index).GetProperty("lexicon");
        Assert.False(LexiconDocument.TryParse(lexicon, out _, out string? error), name);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Fixture_catalog_documents_parse()
    {
        string[] files = Directory.GetFiles(Path.Combine(LexiconFixtures.Folder, "catalog"), "*.json");
        Assert.Equal(5, files.Length);
        foreach (string file in files)
            Assert.NotNull(LexiconDocument.Parse(File.ReadAllBytes(file)));
    }

    [Fact]
    public void All_embedded_lexicons_load()
    {
        LexiconCatalog catalog = LexiconCatalog.CreateWithEmbedded();
        Assert.Equal(402, LexiconCatalog.EmbeddedIds.Count);
        int records = 0, refs = 0;
        foreach (string id in LexiconCatalog.EmbeddedIds)
        {
            Assert.True(catalog.TryGetDocument(id, out LexiconDocument? doc), id);
            Assert.Equal(id, doc.Id);
            Assert.NotEmpty(doc.Defs);
            if (doc.Main is LexRecord)
                records++;
        }
        Assert.Equal(26, records);
        // Every reference in every embedded lexicon resolves inside the embedded set.
        foreach (string id in LexiconCatalog.EmbeddedIds)
        {
            catalog.TryGetDocument(id, out LexiconDocument? doc);
            foreach (LexSchema def in doc!.Defs.Values)
                refs += CheckRefs(catalog, def);
        }
        Assert.True(refs > 500, $"only {refs} references seen");
    }

    [Fact]
    public void Fixture_catalog_references_resolve_across_lexicons()
    {
        LexiconCatalog catalog = LexiconFixtures.CatalogWithFixtures();
        int refs = 0;
        foreach (string id in new[] { "example.lexicon.record", "example.lexicon.query", "example.lexicon.procedure", "example.lexicon.subscription" })
        {
            Assert.True(catalog.TryGetDocument(id, out LexiconDocument? doc), id);
            foreach (LexSchema def in doc.Defs.Values)
                refs += CheckRefs(catalog, def);
        }
        Assert.True(refs >= 5, $"{refs} references");
        Assert.True(catalog.TryGetDef("app.bsky.actor.defs#preferences", out LexSchema? prefs));
        Assert.Equal(LexType.Array, prefs.Type);
    }

    private static int CheckRefs(LexiconCatalog catalog, LexSchema? schema)
    {
        switch (schema)
        {
            case LexRef r:
                Assert.True(catalog.TryGetDef(r.Target.FullName, out _), r.Target.FullName);
                return 1;
            case LexUnion u:
                foreach (LexRefTarget t in u.Targets)
                    Assert.True(catalog.TryGetDef(t.FullName, out _), t.FullName);
                return u.Targets.Count;
            case LexArray a:
                return CheckRefs(catalog, a.Items);
            case LexObject o:
            {
                int n = 0;
                foreach (LexProperty p in o.Properties)
                    n += CheckRefs(catalog, p.Schema);
                return n;
            }
            case LexRecord rec:
                return CheckRefs(catalog, rec.Record);
            case LexXrpcMethod m:
                return CheckRefs(catalog, m.Input?.Schema) + CheckRefs(catalog, m.Output?.Schema) + CheckRefs(catalog, m.Message?.Schema);
            default:
                return 0;
        }
    }

    [Fact]
    public void Post_schema_is_parsed_with_its_limits()
    {
        Assert.True(LexiconCatalog.Default.TryGetRecordSchema("app.bsky.feed.post", out LexRecord? post));
        Assert.Equal(LexRecordKeyKind.Tid, post.KeyKind);
        var text = (LexString)post.Record.FindProperty("text")!.Schema;
        Assert.Equal(3000, text.MaxLength);
        Assert.Equal(300, text.MaxGraphemes);
        Assert.True(post.Record.FindProperty("text")!.IsRequired);
        var createdAt = (LexString)post.Record.FindProperty("createdAt")!.Schema;
        Assert.Equal(LexStringFormat.Datetime, createdAt.Format);
        var embed = (LexUnion)post.Record.FindProperty("embed")!.Schema;
        Assert.Contains("app.bsky.embed.images", embed.Refs);
        Assert.False(embed.Closed);

        Assert.True(LexiconCatalog.Default.TryGetRecordSchema("app.bsky.actor.profile", out LexRecord? profile));
        Assert.Equal(LexRecordKeyKind.Literal, profile.KeyKind);
        Assert.Equal("self", profile.KeyLiteral);
        var avatar = (LexBlob)profile.Record.FindProperty("avatar")!.Schema;
        Assert.Contains("image/png", avatar.Accept!);
        Assert.Equal(1000000, avatar.MaxSize);

        Assert.True(LexiconCatalog.Default.TryGetDef("com.atproto.repo.createRecord", out LexSchema? create));
        var method = Assert.IsType<LexXrpcMethod>(create);
        Assert.Equal(LexType.Procedure, method.Type);
        Assert.Equal("application/json", method.Input!.Encoding);
        Assert.Contains("InvalidSwap", method.Errors);
        Assert.True(LexiconCatalog.Default.TryGetDef("com.atproto.sync.subscribeRepos", out LexSchema? sub));
        Assert.IsType<LexUnion>(((LexXrpcMethod)sub).Message!.Schema);
    }

    [Fact]
    public void Unknown_collection_is_not_found()
    {
        Assert.False(LexiconCatalog.Default.TryGetRecordSchema("com.example.nothing", out _));
        Assert.False(LexiconCatalog.Default.TryGetRecordSchema("app.bsky.feed.defs", out _)); // exists, not a record
        Assert.False(new LexiconCatalog().TryGetDocument("app.bsky.feed.post", out _)); // empty catalog
    }

    [Fact]
    public void Adding_a_duplicate_id_throws()
    {
        LexiconCatalog catalog = LexiconCatalog.CreateWithEmbedded();
        const string json = """{"lexicon":1,"id":"com.example.dup","defs":{"a":{"type":"integer"}}}""";
        catalog.Add(Encoding.UTF8.GetBytes(json));
        Assert.Throws<InvalidOperationException>(() => catalog.Add(Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"main":{"type":"record","key":"bogus","record":{"type":"object"}}}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"main":{"type":"record","key":"tid","record":{"type":"string"}}}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"a":{"type":"string","format":"bogus"}}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"main":{"type":"record","key":"tid","record":{"type":5}}}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"main":{"type":"record","key":"tid","record":{"type":"object","properties":{"a":{"type":5}}}}}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"main":{"type":"record","key":"tid","record":{"type":"object","required":"a"}}}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"main":{"type":"record","key":"tid","record":{"type":"object","properties":[]}}}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"main":{"type":"query","errors":[{"name":5}]}}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"main":{"type":"permission-set","permissions":[{"type":"permission"}]}}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"a":{"type":"integer","enum":[1,"2"]}}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"a":{"type":"string","maxLength":-1}}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"a":{"type":"string","maxLength":"10"}}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"a":{"type":"integer","minimum":5,"maximum":1}}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"a":{"type":"array"}}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"a":{"type":"array","items":{"type":"array","items":{"type":"integer"}}}}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"a":{"type":"object","properties":{"b":{"type":"record"}}}}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"a":{"type":"object","properties":{"b":{"type":"ref","ref":"not an nsid"}}}}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"a":{"type":"object","properties":{"b":{"type":"union"}}}}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"a":{"type":"wat"}}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"a":{"description":"no type"}}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"main":{"type":"query","output":{"schema":{"type":"object"}}}}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"main":{"type":"query","parameters":{"type":"object"}}}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"a":{"type":"union","refs":["#b"]}}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":{"a":{"type":"null"}}}""")]
    [InlineData("""{"lexicon":2,"id":"com.example.x","defs":{}}""")]
    [InlineData("""{"lexicon":1.5,"id":"com.example.x","defs":{}}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x"}""")]
    [InlineData("""{"lexicon":1,"id":"com.example.x","defs":[]}""")]
    [InlineData("""[]""")]
    [InlineData("""not json""")]
    [InlineData("")]
    public void Malformed_documents_throw_LexiconException(string json)
    {
        Assert.Throws<LexiconException>(() => LexiconDocument.Parse(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Every_prefix_of_a_lexicon_is_rejected_cleanly()
    {
        byte[] full = File.ReadAllBytes(Path.Combine(LexiconFixtures.Folder, "catalog", "record.json"));
        int end = full.AsSpan().TrimEnd("\r\n "u8).Length;
        for (int i = 0; i < end; i++)
            Assert.Throws<LexiconException>(() => LexiconDocument.Parse(full.AsSpan(0, i)));
        Assert.Equal("example.lexicon.record", LexiconDocument.Parse(full).Id);
    }

    [Fact]
    public void Deeply_nested_schema_is_rejected_without_overflow()
    {
        var sb = new StringBuilder("""{"lexicon":1,"id":"com.example.x","defs":{"a":""");
        const int depth = 5000;
        for (int i = 0; i < depth; i++)
            sb.Append("""{"type":"object","properties":{"p":""");
        sb.Append("""{"type":"integer"}""");
        for (int i = 0; i < depth; i++)
            sb.Append("}}");
        sb.Append("}}");
        Assert.Throws<LexiconException>(() => LexiconDocument.Parse(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}
