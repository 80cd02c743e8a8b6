using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using Alteran.Protocol.Lexicon.Schema;

namespace Alteran.Protocol.Lexicon;

/// <summary>
/// A set of lexicon documents by NSID, resolving references between them and validating records.
/// <see cref="Default"/> holds the official lexicons embedded in this assembly; each is parsed on first use.
/// Thread-safe: lookups and validation may run concurrently with <see cref="Add"/>.
/// </summary>
public sealed class LexiconCatalog
{
    private const string ResourcePrefix = "lexicon:";

    private static readonly Lazy<LexiconCatalog> s_default = new(CreateWithEmbedded);
    private static readonly Lazy<HashSet<string>> s_embeddedIds = new(ListEmbedded);

    private readonly ConcurrentDictionary<string, LexiconDocument> _documents = new(StringComparer.Ordinal);
    private readonly bool _includeEmbedded;

    /// <summary>Creates an empty catalog (no embedded lexicons).</summary>
    public LexiconCatalog() : this(includeEmbedded: false) { }

    private LexiconCatalog(bool includeEmbedded) => _includeEmbedded = includeEmbedded;

    /// <summary>The shared catalog of all embedded official lexicons.</summary>
    public static LexiconCatalog Default => s_default.Value;

    /// <summary>A new catalog with the embedded lexicons, to which more documents can be added.</summary>
    public static LexiconCatalog CreateWithEmbedded() => new(includeEmbedded: true);

    /// <summary>The NSIDs of the lexicons embedded in this assembly.</summary>
    public static IReadOnlyCollection<string> EmbeddedIds => s_embeddedIds.Value;

    /// <summary>Adds a document. Its NSID must not be present yet (an embedded one not yet loaded is replaced).</summary>
    /// <exception cref="InvalidOperationException">A document with that NSID is already present.</exception>
    public void Add(LexiconDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (!_documents.TryAdd(document.Id, document))
            throw new InvalidOperationException($"Lexicon {document.Id} is already in the catalog.");
    }

    /// <summary>Parses a lexicon document from UTF-8 JSON and adds it.</summary>
    /// <exception cref="LexiconException">The document is not a valid lexicon.</exception>
    public LexiconDocument Add(ReadOnlySpan<byte> utf8Json)
    {
        LexiconDocument document = LexiconDocument.Parse(utf8Json);
        Add(document);
        return document;
    }

    /// <summary>The document with NSID <paramref name="nsid"/>, loading an embedded one on first use.</summary>
    /// <exception cref="LexiconException">An embedded lexicon failed to parse (a build defect).</exception>
    public bool TryGetDocument(string nsid, [NotNullWhen(true)] out LexiconDocument? document)
    {
        if (_documents.TryGetValue(nsid, out document))
            return true;
        if (!_includeEmbedded || !s_embeddedIds.Value.Contains(nsid))
            return false;
        document = _documents.GetOrAdd(nsid, LoadEmbedded(nsid));
        return true;
    }

    /// <summary>The record schema of collection <paramref name="nsid"/>.</summary>
    public bool TryGetRecordSchema(string nsid, [NotNullWhen(true)] out LexRecord? record)
    {
        record = TryGetDocument(nsid, out LexiconDocument? doc) ? doc.Main as LexRecord : null;
        return record is not null;
    }

    /// <summary>The definition named by <paramref name="reference"/>: <c>nsid</c> (its main) or <c>nsid#name</c>.</summary>
    public bool TryGetDef(string reference, [NotNullWhen(true)] out LexSchema? def)
    {
        int hash = reference.IndexOf('#');
        string nsid = hash < 0 ? reference : reference[..hash];
        string name = hash < 0 ? "main" : reference[(hash + 1)..];
        def = null;
        return TryGetDocument(nsid, out LexiconDocument? doc) && doc.TryGetDef(name, out def);
    }

    /// <summary>
    /// Validates a record (atproto JSON form) for <paramref name="collection"/>: its <c>$type</c> must be the
    /// collection, and its value must match the collection's record schema.
    /// </summary>
    public LexiconValidationResult ValidateRecord(string collection, JsonElement record)
    {
        if (!TryGetRecordSchema(collection, out LexRecord? schema))
            return LexiconValidationResult.NotFound(collection);
        if (record.ValueKind != JsonValueKind.Object)
            return LexiconValidationResult.Invalid("Record must be an object");
        if (!record.TryGetProperty("$type"u8, out JsonElement type) || type.ValueKind != JsonValueKind.String
            || !type.ValueEquals(collection))
            return LexiconValidationResult.Invalid($"Record/$type must be \"{collection}\"");
        ValidationFailure? failure = null;
        return RecordValidator.ValidateObject(this, schema.Record, record, 0, ref failure)
            ? LexiconValidationResult.Valid
            : LexiconValidationResult.Invalid(failure!.Render("Record"));
    }

    /// <summary>
    /// Validates a value against any definition (<c>nsid</c> or <c>nsid#name</c>), e.g. a procedure's input
    /// object; <paramref name="root"/> starts the path in the message.
    /// </summary>
    public LexiconValidationResult ValidateValue(string reference, JsonElement value, string root = "Value")
    {
        if (!TryGetDef(reference, out LexSchema? def))
            return LexiconValidationResult.NotFound(reference);
        ValidationFailure? failure = null;
        return RecordValidator.Validate(this, def, value, 0, ref failure)
            ? LexiconValidationResult.Valid
            : LexiconValidationResult.Invalid(failure!.Render(root));
    }

    /// <summary>
    /// Validates the JSON request body of procedure <paramref name="nsid"/> against its <c>input</c> schema
    /// (messages start with <c>Input</c>). A procedure without a JSON input schema accepts any body.
    /// </summary>
    public LexiconValidationResult ValidateInput(string nsid, JsonElement body) =>
        ValidateBody(nsid, body, output: false);

    /// <summary>
    /// Validates the JSON response body of query or procedure <paramref name="nsid"/> against its <c>output</c>
    /// schema (messages start with <c>Output</c>).
    /// </summary>
    public LexiconValidationResult ValidateOutput(string nsid, JsonElement body) =>
        ValidateBody(nsid, body, output: true);

    private LexiconValidationResult ValidateBody(string nsid, JsonElement body, bool output)
    {
        if (!TryGetDocument(nsid, out LexiconDocument? doc) || doc.Main is not LexXrpcMethod method
            || method.Type == LexType.Subscription || (!output && method.Type != LexType.Procedure))
            return LexiconValidationResult.NotFound(nsid);
        LexSchema? schema = (output ? method.Output : method.Input)?.Schema;
        if (schema is null)
            return LexiconValidationResult.Valid;
        ValidationFailure? failure = null;
        return RecordValidator.Validate(this, schema, body, 0, ref failure)
            ? LexiconValidationResult.Valid
            : LexiconValidationResult.Invalid(failure!.Render(output ? "Output" : "Input"));
    }

    /// <summary>
    /// Checks a record key against the record key type of <paramref name="collection"/>
    /// (<c>tid</c>, <c>nsid</c>, <c>literal:value</c> or <c>any</c>); every key must also be valid record-key syntax.
    /// </summary>
    public LexiconValidationResult ValidateRecordKey(string collection, ReadOnlySpan<char> rkey)
    {
        if (!LexStringFormats.IsValidRecordKey(rkey))
            return LexiconValidationResult.Invalid("Record key is not a valid record-key");
        if (!TryGetRecordSchema(collection, out LexRecord? schema))
            return LexiconValidationResult.NotFound(collection);
        bool ok = schema.KeyKind switch
        {
            LexRecordKeyKind.Tid => LexStringFormats.IsValidTid(rkey),
            LexRecordKeyKind.Nsid => LexStringFormats.IsValidNsid(rkey),
            LexRecordKeyKind.Literal => rkey.SequenceEqual(schema.KeyLiteral),
            _ => true,
        };
        return ok
            ? LexiconValidationResult.Valid
            : LexiconValidationResult.Invalid($"Record key must match the record key type \"{schema.Key}\" of {collection}");
    }

    /// <summary>Resolves an absolute reference, caching the result on the reference for this catalog.</summary>
    internal LexSchema? Resolve(LexRefTarget target)
    {
        ResolvedDef? cached = target.Resolved;
        if (cached is not null && ReferenceEquals(cached.Catalog, this))
            return cached.Schema;
        if (!TryGetDocument(target.Nsid, out LexiconDocument? doc) || !doc.TryGetDef(target.Name, out LexSchema? def))
            return null;
        target.Resolved = new ResolvedDef(this, def);
        return def;
    }

    private static LexiconDocument LoadEmbedded(string nsid)
    {
        using Stream stream = typeof(LexiconCatalog).Assembly.GetManifestResourceStream(ResourcePrefix + nsid)
            ?? throw new LexiconException($"Embedded lexicon {nsid} is missing.");
        byte[] bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        LexiconDocument doc = LexiconDocument.Parse(bytes);
        if (doc.Id != nsid)
            throw new LexiconException($"Embedded lexicon {nsid} declares id {doc.Id}.");
        return doc;
    }

    private static HashSet<string> ListEmbedded()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in typeof(LexiconCatalog).Assembly.GetManifestResourceNames())
            if (name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
                ids.Add(name[ResourcePrefix.Length..]);
        return ids;
    }
}
