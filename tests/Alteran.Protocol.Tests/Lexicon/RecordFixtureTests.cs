using System.Text.Json;
using Alteran.Protocol.Lexicon;

namespace Alteran.Protocol.Tests.Lexicon;

/// <summary>The atproto-interop-tests record-data vectors against catalog/record.json.</summary>
public class RecordFixtureTests
{
    private static readonly LexiconCatalog s_catalog = LexiconFixtures.CatalogWithFixtures();

    public static IEnumerable<object[]> ValidRecords => LexiconFixtures.Cases("record-data-valid.json");

    public static IEnumerable<object[]> InvalidRecords => LexiconFixtures.Cases("record-data-invalid.json");

    [Theory]
    [MemberData(nameof(ValidRecords))]
    public void Valid_record_data_passes(int index, string name)
    {
        using JsonDocument doc = LexiconFixtures.Load("record-data-valid.json");
        JsonElement c = LexiconFixtures.Case(doc, index);
        JsonElement data = c.GetProperty("data");
        string collection = data.GetProperty("$type").GetString()!;
        LexiconValidationResult result = s_catalog.ValidateRecord(collection, data);
        Assert.True(result.IsValid, $"{name}: {result}");
        Assert.True(s_catalog.ValidateRecordKey(collection, c.GetProperty("rkey").GetString()).IsValid);
    }

    [Theory]
    [MemberData(nameof(InvalidRecords))]
    public void Invalid_record_data_fails(int index, string name)
    {
        using JsonDocument doc = LexiconFixtures.Load("record-data-invalid.json");
        JsonElement data = LexiconFixtures.Case(doc, index).GetProperty("data");
        LexiconValidationResult result = s_catalog.ValidateRecord("example.lexicon.record", data);
        Assert.Equal(LexiconValidationStatus.Invalid, result.Status);
        Assert.StartsWith("Record", result.Message);
        _ = name;
    }

    [Fact]
    public void There_are_fifty_invalid_cases()
    {
        Assert.Equal(50, InvalidRecords.Count());
        Assert.Equal(3, ValidRecords.Count());
    }

    [Theory]
    [InlineData("""{"integer": 1, "boolean": "green"}""", "Record/boolean must be a boolean")]
    [InlineData("""{}""", "Record must have the property \"integer\"")]
    [InlineData("""{"integer": 1, "string": null}""", "Record/string must be a string")]
    [InlineData("""{"integer": 1, "array": [1, true]}""", "Record/array/1 must be an integer")]
    [InlineData("""{"integer": 1, "object": {"a": "x"}}""", "Record/object/a must be an integer")]
    [InlineData("""{"integer": 1, "formats": {"did": "123"}}""", "Record/formats/did must be a valid did")]
    [InlineData("""{"integer": 1, "rangeInteger": 9000}""", "Record/rangeInteger must not be greater than 20")]
    [InlineData("""{"integer": 1, "rangeInteger": 1}""", "Record/rangeInteger must not be less than 10")]
    [InlineData("""{"integer": 1, "constInteger": 41}""", "Record/constInteger must be 42")]
    [InlineData("""{"integer": 1, "enumInteger": 7}""", "Record/enumInteger must be one of (4|9|16|25)")]
    [InlineData("""{"integer": 1, "enumString": "x"}""", "Record/enumString must be one of (fish|tree|rock)")]
    [InlineData("""{"integer": 1, "lenString": "abcdefg-abcdefg-abcdefg"}""", "Record/lenString must not be longer than 20 bytes (UTF-8)")]
    [InlineData("""{"integer": 1, "graphemeString": "abcdefg-abcdefg-abcdefg"}""", "Record/graphemeString must not be longer than 20 graphemes")]
    [InlineData("""{"integer": 1, "lenArray": [1]}""", "Record/lenArray must not have fewer than 2 elements")]
    [InlineData("""{"integer": 1, "union": {"a": 1}}""", "Record/union must be an object which includes the \"$type\" property")]
    [InlineData("""{"integer": 1, "closedUnion": {"$type": "example.other"}}""", "Record/closedUnion $type must be one of example.lexicon.record#demoObject")]
    [InlineData("""{"integer": 1, "union": {"$type": "example.lexicon.record#demoObject", "a": "x"}}""", "Record/union/a must be an integer")]
    [InlineData("""{"integer": 1, "unknown": [1]}""", "Record/unknown must be an object")]
    [InlineData("""{"integer": 1, "sizeBlob": {"$type":"blob","size":21,"mimeType":"a/b","ref":{"$link":"bafyreiclp443lavogvhj3d2ob2cxbfuscni2k5jk7bebjzg7khl3esabwq"}}}""", "Record/sizeBlob size must not be greater than 20 bytes")]
    [InlineData("""{"integer": 1, "acceptBlob": {"$type":"blob","size":21,"mimeType":"text/plain","ref":{"$link":"bafyreiclp443lavogvhj3d2ob2cxbfuscni2k5jk7bebjzg7khl3esabwq"}}}""", "Record/acceptBlob mimeType must be one of image/*")]
    public void Messages_name_the_path(string body, string expected)
    {
        string json = "{\"$type\": \"example.lexicon.record\"" + (body.Length > 2 ? ", " + body[1..] : "}");
        using JsonDocument doc = LexiconFixtures.ParseJson(json);
        LexiconValidationResult result = s_catalog.ValidateRecord("example.lexicon.record", doc.RootElement);
        Assert.Equal(expected, result.Message);
    }

    [Fact]
    public void Record_type_must_match_the_collection()
    {
        using JsonDocument missing = LexiconFixtures.ParseJson("""{"integer": 1}""");
        Assert.Equal("Record/$type must be \"example.lexicon.record\"", s_catalog.ValidateRecord("example.lexicon.record", missing.RootElement).Message);
        using JsonDocument other = LexiconFixtures.ParseJson("""{"$type": "app.bsky.feed.post", "integer": 1}""");
        Assert.False(s_catalog.ValidateRecord("example.lexicon.record", other.RootElement).IsValid);
        using JsonDocument array = LexiconFixtures.ParseJson("""[1]""");
        Assert.Equal("Record must be an object", s_catalog.ValidateRecord("example.lexicon.record", array.RootElement).Message);
    }

    [Fact]
    public void Unknown_collection_reports_not_found()
    {
        using JsonDocument doc = LexiconFixtures.ParseJson("""{"$type": "com.example.nothing"}""");
        LexiconValidationResult result = s_catalog.ValidateRecord("com.example.nothing", doc.RootElement);
        Assert.Equal(LexiconValidationStatus.LexiconNotFound, result.Status);
        Assert.False(result.IsValid);
    }
}
