using System.Text.Json;
using Alteran.Protocol.Lexicon.Schema;

namespace Alteran.Protocol.Lexicon;

/// <summary>
/// One parsed and checked lexicon document: <c>{"lexicon": 1, "id": nsid, "defs": {...}}</c>.
/// Immutable; build with <see cref="Parse(ReadOnlySpan{byte})"/> or <see cref="Parse(JsonElement)"/>.
/// </summary>
public sealed class LexiconDocument
{
    private readonly Dictionary<string, LexSchema> _defs;

    internal LexiconDocument(string id, int? revision, string? description, Dictionary<string, LexSchema> defs)
    {
        Id = id;
        Revision = revision;
        Description = description;
        _defs = defs;
    }

    /// <summary>The document NSID.</summary>
    public string Id { get; }

    /// <summary>The optional <c>revision</c>.</summary>
    public int? Revision { get; }

    /// <summary>The optional <c>description</c>.</summary>
    public string? Description { get; }

    /// <summary>The definitions by name.</summary>
    public IReadOnlyDictionary<string, LexSchema> Defs => _defs;

    /// <summary>The <c>main</c> definition, or null.</summary>
    public LexSchema? Main => _defs.GetValueOrDefault("main");

    /// <summary>The definition named <paramref name="name"/>.</summary>
    public bool TryGetDef(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LexSchema? def) =>
        _defs.TryGetValue(name, out def);

    /// <summary>Parses and checks a lexicon document from UTF-8 JSON.</summary>
    /// <exception cref="LexiconException">The JSON is malformed or the document is not a valid lexicon.</exception>
    public static LexiconDocument Parse(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument json;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = LexiconParser.MaxJsonDepth });
            json = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new LexiconException("Lexicon is not valid JSON: " + e.Message, e);
        }
        using (json)
            return LexiconParser.ParseDocument(json.RootElement);
    }

    /// <summary>Parses and checks a lexicon document from an already parsed JSON value.</summary>
    /// <exception cref="LexiconException">The document is not a valid lexicon.</exception>
    public static LexiconDocument Parse(JsonElement document) => LexiconParser.ParseDocument(document);

    /// <summary>Like <see cref="Parse(JsonElement)"/> but returns the reason instead of throwing.</summary>
    public static bool TryParse(
        JsonElement document,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LexiconDocument? result,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        try
        {
            result = LexiconParser.ParseDocument(document);
            error = null;
            return true;
        }
        catch (LexiconException e)
        {
            result = null;
            error = e.Message;
            return false;
        }
    }
}
