using System.Text.Json;
using System.Text.Json.Nodes;
using Alteran.Protocol.Lexicon;

namespace Alteran.Protocol.Tests.Lexicon;

/// <summary>
/// Seeded random mutations of real records: the validator must return a result (never throw), and a mutation that
/// swaps a leaf for a value of another JSON kind inside a typed field must be reported as invalid.
/// </summary>
public class RecordMutationTests
{
    private static readonly JsonNode[] s_replacements =
    [
        JsonValue.Create(0), JsonValue.Create(-1), JsonValue.Create(1.5), JsonValue.Create(long.MaxValue),
        JsonValue.Create(true), JsonValue.Create(""), JsonValue.Create("x"), JsonValue.Create(new string('é', 400)),
        new JsonArray(), new JsonArray(JsonValue.Create(1)), new JsonObject(), new JsonObject { ["$type"] = "blob" },
        new JsonObject { ["$bytes"] = "!!" }, new JsonObject { ["$link"] = "bafy" },
    ];

    [Theory]
    [InlineData("app.bsky.feed.post", 1)]
    [InlineData("app.bsky.actor.profile", 2)]
    public void Random_mutations_never_throw(string collection, int seed)
    {
        string source = collection == "app.bsky.feed.post" ? BskyRecordTests.Post : BskyRecordTests.Profile;
        var random = new Random(seed);
        int invalid = 0;
        for (int round = 0; round < 1500; round++)
        {
            JsonNode root = JsonNode.Parse(source)!;
            var leaves = new List<JsonNode>();
            Collect(root, leaves);
            JsonNode target = leaves[random.Next(leaves.Count)];
            JsonNode replacement = s_replacements[random.Next(s_replacements.Length)].DeepClone();
            if (target.Parent is JsonObject o)
                o[target.GetPropertyName()] = replacement;
            else if (target.Parent is JsonArray a)
                a[target.GetElementIndex()] = replacement;
            else
                continue;
            using JsonDocument doc = JsonDocument.Parse(root.ToJsonString());
            LexiconValidationResult result = LexiconCatalog.Default.ValidateRecord(collection, doc.RootElement);
            if (!result.IsValid)
            {
                invalid++;
                Assert.StartsWith("Record", result.Message);
            }
        }
        // Most swaps break a typed field; some land in fields without a schema and stay valid.
        Assert.InRange(invalid, 500, 1500);
    }

    private static void Collect(JsonNode node, List<JsonNode> leaves)
    {
        if (node is JsonObject o)
        {
            foreach (KeyValuePair<string, JsonNode?> p in o)
                if (p.Value is not null)
                    Collect(p.Value, leaves);
        }
        else if (node is JsonArray a)
        {
            foreach (JsonNode? n in a)
                if (n is not null)
                    Collect(n, leaves);
        }
        if (node.Parent is not null)
            leaves.Add(node);
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("1e3")]
    [InlineData("10000000000000000000000")]
    [InlineData("\"5\"")]
    [InlineData("true")]
    [InlineData("null")]
    public void Non_canonical_integers_are_rejected(string width)
    {
        string json = BskyRecordTests.Post.Replace("\"width\": 1000", "\"width\": " + width);
        using JsonDocument doc = JsonDocument.Parse(json);
        Assert.Equal("Record/embed/images/0/aspectRatio/width must be an integer",
            LexiconCatalog.Default.ValidateRecord("app.bsky.feed.post", doc.RootElement).Message);
    }

    [Theory]
    [InlineData("{\"$bytes\": \"a\"}")] // one base64 char cannot encode a byte
    [InlineData("{\"$bytes\": \"ab=c\"}")]
    [InlineData("{\"$bytes\": \"abc\", \"x\": 1}")]
    [InlineData("{\"$bytes\": 5}")]
    [InlineData("[]")]
    public void Malformed_bytes_are_rejected(string bytes)
    {
        var catalog = new LexiconCatalog();
        catalog.Add("""{"lexicon":1,"id":"com.example.b","defs":{"main":{"type":"record","key":"any","record":{"type":"object","properties":{"b":{"type":"bytes"}}}}}}"""u8);
        using JsonDocument ok = JsonDocument.Parse("""{"$type":"com.example.b","b":{"$bytes":"aGVsbG8"}}""");
        Assert.True(catalog.ValidateRecord("com.example.b", ok.RootElement).IsValid);
        using JsonDocument doc = JsonDocument.Parse($$"""{"$type":"com.example.b","b":{{bytes}}}""");
        Assert.StartsWith("Record/b must be a byte array", catalog.ValidateRecord("com.example.b", doc.RootElement).Message);
    }
}
