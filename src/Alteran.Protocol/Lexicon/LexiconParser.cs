using System.Text.Json;
using Alteran.Protocol.Lexicon.Schema;

namespace Alteran.Protocol.Lexicon;

/// <summary>
/// Turns lexicon JSON into the schema model and checks the document rules: <c>lexicon</c> is 1, <c>id</c> is an
/// NSID, primary types (record, query, procedure, subscription, permission-set) only as <c>main</c>, no top-level
/// <c>ref</c>/<c>union</c>/<c>unknown</c>, a record's <c>record</c> is an object schema. Unknown keys are ignored
/// (forward compatible); known keys of the wrong JSON type are errors.
/// </summary>
internal static class LexiconParser
{
    /// <summary>Deepest JSON nesting accepted in a lexicon file (real ones stay under 15).</summary>
    public const int MaxJsonDepth = 64;

    public static LexiconDocument ParseDocument(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new LexiconException("Lexicon must be a JSON object");
        if (!root.TryGetProperty("lexicon"u8, out JsonElement version) || version.ValueKind != JsonValueKind.Number
            || !version.TryGetInt32(out int v) || v != 1)
            throw new LexiconException("Lexicon \"lexicon\" must be the integer 1");
        if (!root.TryGetProperty("id"u8, out JsonElement idElement) || idElement.ValueKind != JsonValueKind.String)
            throw new LexiconException("Lexicon \"id\" must be a string");
        string id = idElement.GetString()!;
        if (!LexStringFormats.IsValidNsid(id))
            throw new LexiconException($"Lexicon \"id\" is not a valid NSID: {id}");
        int? revision = null;
        if (root.TryGetProperty("revision"u8, out JsonElement rev))
        {
            if (rev.ValueKind != JsonValueKind.Number || !rev.TryGetInt32(out int r) || r < 0)
                throw new LexiconException($"{id}: \"revision\" must be a non-negative integer");
            revision = r;
        }
        string? description = OptionalString(root, "description", id);
        if (!root.TryGetProperty("defs"u8, out JsonElement defs) || defs.ValueKind != JsonValueKind.Object)
            throw new LexiconException($"{id}: \"defs\" must be an object");

        var ctx = new Context(id);
        var result = new Dictionary<string, LexSchema>(StringComparer.Ordinal);
        foreach (JsonProperty def in defs.EnumerateObject())
        {
            string name = def.Name;
            string path = "defs/" + name;
            if (name.Length == 0 || result.ContainsKey(name))
                throw ctx.Error(path, "definition name must be non-empty and unique");
            LexSchema schema = ParseTopLevel(ctx, def.Value, path);
            if (schema.IsPrimary && name != "main")
                throw ctx.Error(path, $"{TypeName(schema.Type)} must be the \"main\" definition");
            result.Add(name, schema);
        }
        return new LexiconDocument(id, revision, description, result);
    }

    private sealed class Context(string id)
    {
        public string Id { get; } = id;

        public LexiconException Error(string path, string message) => new($"{Id}: {path}: {message}");
    }

    private static LexSchema ParseTopLevel(Context ctx, JsonElement e, string path)
    {
        string type = RequireType(ctx, e, path);
        string? description = OptionalString(ctx, e, "description", path);
        switch (type)
        {
            case "record": return ParseRecord(ctx, e, path, description);
            case "query": return ParseMethod(ctx, e, path, LexType.Query, description);
            case "procedure": return ParseMethod(ctx, e, path, LexType.Procedure, description);
            case "subscription": return ParseMethod(ctx, e, path, LexType.Subscription, description);
            case "permission-set": return ParsePermissionSet(ctx, e, path, description);
            case "token": return new LexToken(description);
            case "ref" or "union" or "unknown" or "null" or "params":
                throw ctx.Error(path, $"\"{type}\" is not allowed as a top-level definition");
            default: return ParseField(ctx, e, path, 0);
        }
    }

    /// <summary>A schema inside an object, array or body: data types, ref, union, unknown.</summary>
    private static LexSchema ParseField(Context ctx, JsonElement e, string path, int depth)
    {
        if (depth > MaxJsonDepth)
            throw ctx.Error(path, "schema is nested too deeply");
        string type = RequireType(ctx, e, path);
        string? description = OptionalString(ctx, e, "description", path);
        switch (type)
        {
            case "null":
                return new LexNull(description);
            case "boolean":
                return new LexBoolean(description, OptionalBool(ctx, e, "const", path), OptionalBool(ctx, e, "default", path));
            case "integer":
            {
                long? min = OptionalLong(ctx, e, "minimum", path);
                long? max = OptionalLong(ctx, e, "maximum", path);
                if (min > max)
                    throw ctx.Error(path, "minimum is greater than maximum");
                return new LexInteger(description, min, max, OptionalLongArray(ctx, e, "enum", path),
                    OptionalLong(ctx, e, "const", path), OptionalLong(ctx, e, "default", path));
            }
            case "string":
            {
                LexStringFormat format = LexStringFormat.None;
                string? f = OptionalString(ctx, e, "format", path);
                if (f is not null && !TryParseFormat(f, out format))
                    throw ctx.Error(path, $"unknown string format \"{f}\"");
                return new LexString(description, format,
                    OptionalLength(ctx, e, "minLength", path), OptionalLength(ctx, e, "maxLength", path),
                    OptionalLength(ctx, e, "minGraphemes", path), OptionalLength(ctx, e, "maxGraphemes", path),
                    OptionalStringArray(ctx, e, "knownValues", path), OptionalStringArray(ctx, e, "enum", path),
                    OptionalString(ctx, e, "const", path), OptionalString(ctx, e, "default", path));
            }
            case "bytes":
                return new LexBytes(description, OptionalLength(ctx, e, "minLength", path), OptionalLength(ctx, e, "maxLength", path));
            case "cid-link":
                return new LexCidLink(description);
            case "blob":
                return new LexBlob(description, OptionalStringArray(ctx, e, "accept", path), OptionalLong(ctx, e, "maxSize", path));
            case "array":
            {
                if (!e.TryGetProperty("items"u8, out JsonElement items))
                    throw ctx.Error(path, "array must have \"items\"");
                LexSchema itemSchema = ParseField(ctx, items, path + "/items", depth + 1);
                if (itemSchema.Type == LexType.Array)
                    throw ctx.Error(path, "arrays of arrays are not allowed");
                return new LexArray(description, itemSchema,
                    OptionalLength(ctx, e, "minLength", path), OptionalLength(ctx, e, "maxLength", path));
            }
            case "object":
                return ParseObject(ctx, e, path, description, depth);
            case "ref":
            {
                string reference = OptionalString(ctx, e, "ref", path) ?? throw ctx.Error(path, "ref must have \"ref\"");
                return new LexRef(description, reference, ParseRefTarget(ctx, reference, path));
            }
            case "union":
            {
                string[] refs = OptionalStringArray(ctx, e, "refs", path) ?? throw ctx.Error(path, "union must have \"refs\"");
                var targets = new LexRefTarget[refs.Length];
                for (int i = 0; i < refs.Length; i++)
                    targets[i] = ParseRefTarget(ctx, refs[i], path);
                return new LexUnion(description, refs, targets, OptionalBool(ctx, e, "closed", path) ?? false);
            }
            case "unknown":
                return new LexUnknown(description);
            default:
                throw ctx.Error(path, $"\"{type}\" is not allowed here");
        }
    }

    private static LexObject ParseObject(Context ctx, JsonElement e, string path, string? description, int depth)
    {
        string[] required = OptionalStringArray(ctx, e, "required", path) ?? [];
        string[] nullable = OptionalStringArray(ctx, e, "nullable", path) ?? [];
        var properties = new List<LexProperty>();
        if (e.TryGetProperty("properties"u8, out JsonElement props))
        {
            if (props.ValueKind != JsonValueKind.Object)
                throw ctx.Error(path, "\"properties\" must be an object");
            foreach (JsonProperty p in props.EnumerateObject())
            {
                LexSchema schema = ParseField(ctx, p.Value, path + "/properties/" + p.Name, depth + 1);
                properties.Add(new LexProperty(p.Name, schema, Array.IndexOf(required, p.Name) >= 0, Array.IndexOf(nullable, p.Name) >= 0));
            }
        }
        var extra = new List<LexProperty>();
        foreach (string r in required)
        {
            bool declared = false;
            foreach (LexProperty p in properties)
                declared |= p.Name == r;
            if (!declared)
                extra.Add(new LexProperty(r, new LexUnknown(null), true, false));
        }
        return new LexObject(description, properties.ToArray(), extra.ToArray());
    }

    private static LexRecord ParseRecord(Context ctx, JsonElement e, string path, string? description)
    {
        string key = OptionalString(ctx, e, "key", path) ?? throw ctx.Error(path, "record must have a \"key\"");
        LexRecordKeyKind kind;
        string? literal = null;
        switch (key)
        {
            case "tid": kind = LexRecordKeyKind.Tid; break;
            case "nsid": kind = LexRecordKeyKind.Nsid; break;
            case "any": kind = LexRecordKeyKind.Any; break;
            default:
                if (!key.StartsWith("literal:", StringComparison.Ordinal) || !LexStringFormats.IsValidRecordKey(key.AsSpan(8)))
                    throw ctx.Error(path, $"record key type \"{key}\" is not tid, nsid, any or literal:<record-key>");
                kind = LexRecordKeyKind.Literal;
                literal = key.Substring(8);
                break;
        }
        if (!e.TryGetProperty("record"u8, out JsonElement record) || record.ValueKind != JsonValueKind.Object
            || !record.TryGetProperty("type"u8, out JsonElement t) || t.ValueKind != JsonValueKind.String || !t.ValueEquals("object"u8))
            throw ctx.Error(path, "record must have a \"record\" schema of type object");
        var obj = (LexObject)ParseField(ctx, record, path + "/record", 0);
        return new LexRecord(description, key, kind, literal, obj);
    }

    private static LexXrpcMethod ParseMethod(Context ctx, JsonElement e, string path, LexType type, string? description)
    {
        LexParams? parameters = null;
        if (e.TryGetProperty("parameters"u8, out JsonElement p))
        {
            string ptype = RequireType(ctx, p, path + "/parameters");
            if (ptype != "params")
                throw ctx.Error(path + "/parameters", "must be of type params");
            LexObject o = ParseObject(ctx, p, path + "/parameters", OptionalString(ctx, p, "description", path), 1);
            parameters = new LexParams(o.Description, o.PropertyArray);
        }
        LexXrpcBody? input = type == LexType.Procedure ? OptionalBody(ctx, e, "input", path, needsEncoding: true) : null;
        LexXrpcBody? output = type != LexType.Subscription ? OptionalBody(ctx, e, "output", path, needsEncoding: true) : null;
        LexXrpcBody? message = type == LexType.Subscription ? OptionalBody(ctx, e, "message", path, needsEncoding: false) : null;
        var errors = new List<string>();
        if (e.TryGetProperty("errors"u8, out JsonElement errs))
        {
            if (errs.ValueKind != JsonValueKind.Array)
                throw ctx.Error(path, "\"errors\" must be an array");
            foreach (JsonElement err in errs.EnumerateArray())
                errors.Add(OptionalString(ctx, err, "name", path + "/errors") ?? throw ctx.Error(path + "/errors", "error must have a \"name\""));
        }
        return new LexXrpcMethod(type, description, parameters, input, output, message, errors.ToArray());
    }

    private static LexXrpcBody? OptionalBody(Context ctx, JsonElement e, string key, string path, bool needsEncoding)
    {
        if (!e.TryGetProperty(key, out JsonElement body))
            return null;
        path += "/" + key;
        if (body.ValueKind != JsonValueKind.Object)
            throw ctx.Error(path, "must be an object");
        string? encoding = OptionalString(ctx, body, "encoding", path);
        if (needsEncoding && encoding is null)
            throw ctx.Error(path, "must have an \"encoding\"");
        LexSchema? schema = null;
        if (body.TryGetProperty("schema"u8, out JsonElement s))
        {
            schema = ParseField(ctx, s, path + "/schema", 1);
            if (schema.Type is not (LexType.Object or LexType.Ref or LexType.Union))
                throw ctx.Error(path + "/schema", "must be an object, ref or union");
        }
        return new LexXrpcBody(OptionalString(ctx, body, "description", path), encoding, schema);
    }

    private static LexPermissionSet ParsePermissionSet(Context ctx, JsonElement e, string path, string? description)
    {
        if (!e.TryGetProperty("permissions"u8, out JsonElement perms) || perms.ValueKind != JsonValueKind.Array)
            throw ctx.Error(path, "permission-set must have a \"permissions\" array");
        var list = new List<LexPermission>();
        foreach (JsonElement p in perms.EnumerateArray())
        {
            string ppath = path + "/permissions";
            if (RequireType(ctx, p, ppath) != "permission")
                throw ctx.Error(ppath, "must be of type permission");
            string resource = OptionalString(ctx, p, "resource", ppath) ?? throw ctx.Error(ppath, "permission must have a \"resource\"");
            list.Add(new LexPermission(resource, OptionalStringArray(ctx, p, "collection", ppath),
                OptionalStringArray(ctx, p, "action", ppath), OptionalStringArray(ctx, p, "lxm", ppath),
                OptionalString(ctx, p, "aud", ppath), OptionalBool(ctx, p, "inheritAud", ppath) ?? false));
        }
        return new LexPermissionSet(description, OptionalString(ctx, e, "title", path), OptionalString(ctx, e, "detail", path), list.ToArray());
    }

    /// <summary>Makes a reference absolute: <c>#def</c>, <c>nsid</c> (main) or <c>nsid#def</c>.</summary>
    private static LexRefTarget ParseRefTarget(Context ctx, string reference, string path)
    {
        int hash = reference.IndexOf('#');
        string nsid = hash < 0 ? reference : reference.Substring(0, hash);
        string name = hash < 0 ? "main" : reference.Substring(hash + 1);
        if (nsid.Length == 0)
            nsid = ctx.Id;
        else if (!LexStringFormats.IsValidNsid(nsid))
            throw ctx.Error(path, $"reference \"{reference}\" does not name a valid NSID");
        if (name.Length == 0 || name.Contains('#'))
            throw ctx.Error(path, $"reference \"{reference}\" has an invalid definition name");
        return new LexRefTarget(nsid, name);
    }

    private static bool TryParseFormat(string s, out LexStringFormat format)
    {
        format = s switch
        {
            "at-identifier" => LexStringFormat.AtIdentifier,
            "at-uri" => LexStringFormat.AtUri,
            "cid" => LexStringFormat.Cid,
            "datetime" => LexStringFormat.Datetime,
            "did" => LexStringFormat.Did,
            "handle" => LexStringFormat.Handle,
            "nsid" => LexStringFormat.Nsid,
            "tid" => LexStringFormat.Tid,
            "record-key" => LexStringFormat.RecordKey,
            "uri" => LexStringFormat.Uri,
            "language" => LexStringFormat.Language,
            _ => LexStringFormat.None,
        };
        return format != LexStringFormat.None;
    }

    internal static string TypeName(LexType type) => type switch
    {
        LexType.CidLink => "cid-link",
        LexType.PermissionSet => "permission-set",
        _ => type.ToString().ToLowerInvariant(),
    };

    private static string RequireType(Context ctx, JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw ctx.Error(path, "schema must be an object");
        return OptionalString(ctx, e, "type", path) ?? throw ctx.Error(path, "schema must have a \"type\"");
    }

    /// <summary>TryGetProperty that reports a non-object as a lexicon error instead of throwing InvalidOperationException.</summary>
    private static bool TryGet(Context ctx, JsonElement e, string key, string path, out JsonElement value)
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw ctx.Error(path, "must be an object");
        return e.TryGetProperty(key, out value);
    }

    private static string? OptionalString(JsonElement e, string key, string id)
    {
        if (!e.TryGetProperty(key, out JsonElement v))
            return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw new LexiconException($"{id}: \"{key}\" must be a string");
    }

    private static string? OptionalString(Context ctx, JsonElement e, string key, string path)
    {
        if (!TryGet(ctx, e, key, path, out JsonElement v))
            return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw ctx.Error(path, $"\"{key}\" must be a string");
    }

    private static bool? OptionalBool(Context ctx, JsonElement e, string key, string path)
    {
        if (!TryGet(ctx, e, key, path, out JsonElement v))
            return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw ctx.Error(path, $"\"{key}\" must be a boolean"),
        };
    }

    private static long? OptionalLong(Context ctx, JsonElement e, string key, string path)
    {
        if (!TryGet(ctx, e, key, path, out JsonElement v))
            return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long l) ? l : throw ctx.Error(path, $"\"{key}\" must be an integer");
    }

    private static int? OptionalLength(Context ctx, JsonElement e, string key, string path)
    {
        if (!TryGet(ctx, e, key, path, out JsonElement v))
            return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) && i >= 0
            ? i
            : throw ctx.Error(path, $"\"{key}\" must be a non-negative integer");
    }

    private static long[]? OptionalLongArray(Context ctx, JsonElement e, string key, string path)
    {
        if (!TryGet(ctx, e, key, path, out JsonElement v))
            return null;
        if (v.ValueKind != JsonValueKind.Array)
            throw ctx.Error(path, $"\"{key}\" must be an array of integers");
        var result = new long[v.GetArrayLength()];
        int i = 0;
        foreach (JsonElement x in v.EnumerateArray())
            result[i++] = x.ValueKind == JsonValueKind.Number && x.TryGetInt64(out long l) ? l : throw ctx.Error(path, $"\"{key}\" must be an array of integers");
        return result;
    }

    private static string[]? OptionalStringArray(Context ctx, JsonElement e, string key, string path)
    {
        if (!TryGet(ctx, e, key, path, out JsonElement v))
            return null;
        if (v.ValueKind != JsonValueKind.Array)
            throw ctx.Error(path, $"\"{key}\" must be an array of strings");
        var result = new string[v.GetArrayLength()];
        int i = 0;
        foreach (JsonElement x in v.EnumerateArray())
            result[i++] = x.ValueKind == JsonValueKind.String ? x.GetString()! : throw ctx.Error(path, $"\"{key}\" must be an array of strings");
        return result;
    }
}
