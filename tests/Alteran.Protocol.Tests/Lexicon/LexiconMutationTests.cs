using System.Text;
using System.Text.Json.Nodes;
using Alteran.Protocol.Lexicon;

namespace Alteran.Protocol.Tests.Lexicon;

/// <summary>Seeded random mutations of lexicon documents: parsing either succeeds or throws <see cref="LexiconException"/>.</summary>
public class LexiconMutationTests
{
    private static readonly JsonNode?[] s_replacements =
    [
        null, JsonValue.Create(0), JsonValue.Create(-1), JsonValue.Create(1.5), JsonValue.Create(true),
        JsonValue.Create(""), JsonValue.Create("object"), JsonValue.Create("ref"), JsonValue.Create("#x"),
        JsonValue.Create("not an nsid"), new JsonArray(), new JsonArray(JsonValue.Create(1)), new JsonObject(),
        new JsonObject { ["type"] = "unknown" },
    ];

    [Theory]
    [InlineData("app/bsky/feed/post.json", 1, 600)]
    [InlineData("app/bsky/actor/defs.json", 2, 150)]
    [InlineData("com/atproto/repo/applyWrites.json", 3, 600)]
    [InlineData("com/atproto/sync/subscribeRepos.json", 4, 600)]
    public void Random_mutations_throw_only_LexiconException(string file, int seed, int rounds)
    {
        string source = File.ReadAllText(Path.Combine(FindLexiconFolder(), file));
        var random = new Random(seed);
        int rejected = 0;
        for (int round = 0; round < rounds; round++)
        {
            JsonNode root = JsonNode.Parse(source)!;
            var nodes = new List<JsonNode>();
            Collect(root, nodes);
            JsonNode target = nodes[random.Next(nodes.Count)];
            JsonNode? replacement = s_replacements[random.Next(s_replacements.Length)]?.DeepClone();
            if (target.Parent is JsonObject o)
                o[target.GetPropertyName()] = replacement;
            else if (target.Parent is JsonArray a)
                a[target.GetElementIndex()] = replacement;
            byte[] json = Encoding.UTF8.GetBytes(root.ToJsonString());
            try
            {
                LexiconDocument.Parse(json);
            }
            catch (LexiconException)
            {
                rejected++;
            }
        }
        Assert.True(rejected > rounds / 6, $"only {rejected} mutations rejected");
    }

    private static void Collect(JsonNode node, List<JsonNode> nodes)
    {
        if (node is JsonObject o)
            foreach (KeyValuePair<string, JsonNode?> p in o)
                if (p.Value is not null)
                    Collect(p.Value, nodes);
        if (node is JsonArray a)
            foreach (JsonNode? n in a)
                if (n is not null)
                    Collect(n, nodes);
        if (node.Parent is not null)
            nodes.Add(node);
    }

    /// <summary>The repository's embedded lexicon folder (tests read the source files, the product reads resources).</summary>
    private static string FindLexiconFolder()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "src", "Alteran.Protocol", "Lexicon", "lexicons");
            if (Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException("src/Alteran.Protocol/Lexicon/lexicons not found above the test output folder");
    }
}
