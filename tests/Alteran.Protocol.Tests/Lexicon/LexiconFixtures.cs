using System.Text.Json;
using Alteran.Protocol.Lexicon;

namespace Alteran.Protocol.Tests.Lexicon;

/// <summary>Loads the interop lexicon fixtures copied under tests/fixtures/interop/lexicon.</summary>
internal static class LexiconFixtures
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "fixtures", "interop", "lexicon");

    private static readonly JsonDocumentOptions s_options = new() { AllowDuplicateProperties = false };

    public static JsonDocument Load(string name) => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, name)), s_options);

    public static JsonDocument ParseJson(string json) => JsonDocument.Parse(json, s_options);

    /// <summary>A catalog with the embedded lexicons plus every fixture in catalog/.</summary>
    public static LexiconCatalog CatalogWithFixtures()
    {
        LexiconCatalog catalog = LexiconCatalog.CreateWithEmbedded();
        foreach (string file in Directory.GetFiles(Path.Combine(Folder, "catalog"), "*.json"))
            catalog.Add(File.ReadAllBytes(file));
        return catalog;
    }

    /// <summary>The cases of a fixture file as (name, element) pairs; the document is kept alive by the caller.</summary>
    public static IEnumerable<object[]> Cases(string file)
    {
        using JsonDocument doc = Load(file);
        int i = 0;
        foreach (JsonElement e in doc.RootElement.EnumerateArray())
            yield return [i++, e.GetProperty("name").GetString()!];
    }

    public static JsonElement Case(JsonDocument doc, int index) => doc.RootElement[index];
}
