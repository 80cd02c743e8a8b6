using System.Text;
using System.Text.Json;
using Alteran.Protocol.Lexicon;

namespace Alteran.Protocol.Tests.Lexicon;

/// <summary>Inputs built to exhaust the validator: deep nesting, huge arrays, huge strings.</summary>
public class HostileRecordTests
{
    private const string DeepLexicon = """
    {"lexicon": 1, "id": "com.example.deep", "defs": {
      "main": {"type": "record", "key": "any", "record": {"type": "object", "properties": {
        "child": {"type": "ref", "ref": "#node"},
        "list": {"type": "array", "items": {"type": "ref", "ref": "#node"}}}}},
      "node": {"type": "object", "properties": {
        "child": {"type": "ref", "ref": "#node"},
        "list": {"type": "array", "items": {"type": "ref", "ref": "#node"}},
        "n": {"type": "integer"}}}}}
    """;

    private static readonly LexiconCatalog s_catalog = CreateCatalog();

    private static LexiconCatalog CreateCatalog()
    {
        var catalog = new LexiconCatalog();
        catalog.Add(Encoding.UTF8.GetBytes(DeepLexicon));
        return catalog;
    }

    private static LexiconValidationResult Validate(string json)
    {
        using JsonDocument doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 100_000 });
        return s_catalog.ValidateRecord("com.example.deep", doc.RootElement);
    }

    private static string Nested(int depth, string open, string close)
    {
        var sb = new StringBuilder("""{"$type": "com.example.deep", "child": """);
        for (int i = 0; i < depth; i++)
            sb.Append(open);
        sb.Append("""{"n": 1}""");
        for (int i = 0; i < depth; i++)
            sb.Append(close);
        return sb.Append('}').ToString();
    }

    [Fact]
    public void Moderate_nesting_is_valid()
    {
        Assert.True(Validate(Nested(30, """{"child": """, "}")).IsValid);
        Assert.True(Validate(Nested(15, """{"list": [""", "]}")).IsValid);
    }

    [Fact]
    public void Bad_leaf_deep_down_is_reported_with_its_path()
    {
        string json = Nested(3, """{"child": """, "}").Replace("\"n\": 1", "\"n\": true");
        Assert.Equal("Record/child/child/child/child/n must be an integer", Validate(json).Message);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(10_000)]
    public void Deep_objects_are_rejected_without_stack_overflow(int depth)
    {
        LexiconValidationResult result = Validate(Nested(depth, """{"child": """, "}"));
        Assert.False(result.IsValid);
        Assert.EndsWith("is nested too deeply", result.Message);
    }

    [Fact]
    public void Deep_arrays_are_rejected_without_stack_overflow()
    {
        LexiconValidationResult result = Validate(Nested(5_000, """{"list": [""", "]}"));
        Assert.EndsWith("is nested too deeply", result.Message);
    }

    [Fact]
    public void Huge_arrays_are_checked_by_length_first_or_in_linear_time()
    {
        // app.bsky.feed.post langs has maxLength 3: a million entries are refused before any is read.
        var sb = new StringBuilder("""{"$type":"app.bsky.feed.post","text":"","createdAt":"2024-01-01T00:00:00Z","langs":[""");
        for (int i = 0; i < 1_000_000; i++)
            sb.Append(i == 0 ? "\"en\"" : ",\"en\"");
        sb.Append("]}");
        using (JsonDocument doc = JsonDocument.Parse(sb.ToString()))
            Assert.Equal("Record/langs must not have more than 3 elements", LexiconCatalog.Default.ValidateRecord("app.bsky.feed.post", doc.RootElement).Message);

        // An unbounded array of 200k small objects is validated element by element and the bad last one found.
        var list = new StringBuilder("""{"$type": "com.example.deep", "list": [""");
        for (int i = 0; i < 200_000; i++)
            list.Append(i == 0 ? """{"n":1}""" : """,{"n":1}""");
        list.Append(""",{"n":"x"}]}""");
        Assert.Equal("Record/list/200000/n must be an integer", Validate(list.ToString()).Message);
    }

    [Fact]
    public void Huge_strings_are_bounded_by_their_byte_limit()
    {
        string text = new('a', 5_000_000);
        string json = $$"""{"$type":"app.bsky.feed.post","text":"{{text}}","createdAt":"2024-01-01T00:00:00Z"}""";
        using JsonDocument doc = JsonDocument.Parse(json);
        Assert.Equal("Record/text must not be longer than 3000 bytes (UTF-8)", LexiconCatalog.Default.ValidateRecord("app.bsky.feed.post", doc.RootElement).Message);
    }

    [Fact]
    public void Many_unknown_properties_are_ignored()
    {
        var sb = new StringBuilder("""{"$type": "com.example.deep", "child": {"n": 1""");
        for (int i = 0; i < 10_000; i++)
            sb.Append(",\"x").Append(i).Append("\": ").Append(i);
        sb.Append("}}");
        Assert.True(Validate(sb.ToString()).IsValid);
    }

    [Fact]
    public void Unresolvable_reference_is_an_error_not_a_crash()
    {
        var catalog = new LexiconCatalog();
        catalog.Add("""
            {"lexicon":1,"id":"com.example.dangling","defs":{"main":{"type":"record","key":"tid","record":{"type":"object",
             "properties":{"x":{"type":"ref","ref":"com.example.missing#thing"}}}}}}
            """u8);
        using JsonDocument doc = JsonDocument.Parse("""{"$type":"com.example.dangling","x":{}}""");
        Assert.Equal("Record/x refers to an unknown lexicon definition com.example.missing#thing",
            catalog.ValidateRecord("com.example.dangling", doc.RootElement).Message);
    }
}
