using System.Buffers;
using System.Text.Json;
using Alteran.Net.Http;
using Alteran.Net.Repo;
using Alteran.Net.Xrpc;
using Alteran.Protocol;
using Alteran.Protocol.Cbor;
using Alteran.Protocol.DataModel;
using Alteran.Protocol.Lexicon;
using Alteran.Storage.Accounts;

namespace Alteran.Net.Pds.Repo;

public sealed partial class RepoXrpcHandlers
{
    // How the caller's "validate" flag resolved for one record: null = not validated (validate=false).
    private readonly record struct PreparedRecord(byte[] Cbor, string? ValidationStatus);

    private const string ApplyWritesNsid = "com.atproto.repo.applyWrites";

    private async ValueTask CreateRecordAsync(HttpContext context)
    {
        using JsonDocument doc = await ReadBodyJsonAsync(context).ConfigureAwait(false);
        JsonElement body = doc.RootElement;
        AccountRow account = RequireOwnRepo(context, RequiredString(body, "repo"));
        string collection = CheckCollection(RequiredString(body, "collection"));
        bool? validate = OptionalBool(body, "validate");
        string rkey = OptionalString(body, "rkey") is { } given ? CheckRecordKey(collection, given, validate) : _rkeyClock.Next().ToString();
        Cid? swapCommit = OptionalCid(body, "swapCommit");
        PreparedRecord record = PrepareRecord(collection, RecordElement(body, "record"), validate);

        RepoCommitResult result = await CommitAsync(account, [RepoWriteOp.Create(collection, rkey, record.Cbor)], swapCommit, context).ConfigureAwait(false);
        RepoWriteResult write = result.Results[0];
        context.Response.WriteJson((write, result, record.ValidationStatus), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("uri"u8, s.write.Uri);
            w.WriteString("cid"u8, s.write.Cid!.Value.ToString());
            WriteCommitMeta(w, s.result);
            if (s.Item3 is { } status)
                w.WriteString("validationStatus"u8, status);
            w.WriteEndObject();
        });
    }

    private async ValueTask PutRecordAsync(HttpContext context)
    {
        using JsonDocument doc = await ReadBodyJsonAsync(context).ConfigureAwait(false);
        JsonElement body = doc.RootElement;
        AccountRow account = RequireOwnRepo(context, RequiredString(body, "repo"));
        string collection = CheckCollection(RequiredString(body, "collection"));
        bool? validate = OptionalBool(body, "validate");
        string rkey = CheckRecordKey(collection, RequiredString(body, "rkey"), validate);
        Cid? swapCommit = OptionalCid(body, "swapCommit");
        // swapRecord: absent = no check; null = the record must not exist; a CID = the record must be that.
        bool checkSwap = body.TryGetProperty("swapRecord"u8, out JsonElement swapElement);
        Cid? swapRecord = checkSwap ? OptionalCid(body, "swapRecord") : null;
        PreparedRecord record = PrepareRecord(collection, RecordElement(body, "record"), validate);

        RepoWriteOp op = RepoWriteOp.Put(collection, rkey, record.Cbor, checkSwap, swapRecord);
        RepoCommitResult result = await CommitAsync(account, [op], swapCommit, context).ConfigureAwait(false);
        RepoWriteResult write = result.Results[0]; // uri and record CID, also for a no-op put
        context.Response.WriteJson((write, result, record.ValidationStatus), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("uri"u8, s.write.Uri);
            w.WriteString("cid"u8, s.write.Cid!.Value.ToString());
            if (!s.result.NoOp)
                WriteCommitMeta(w, s.result);
            if (s.Item3 is { } status)
                w.WriteString("validationStatus"u8, status);
            w.WriteEndObject();
        });
    }

    private async ValueTask DeleteRecordAsync(HttpContext context)
    {
        using JsonDocument doc = await ReadBodyJsonAsync(context).ConfigureAwait(false);
        JsonElement body = doc.RootElement;
        AccountRow account = RequireOwnRepo(context, RequiredString(body, "repo"));
        string collection = CheckCollection(RequiredString(body, "collection"));
        string rkey = CheckRkey(RequiredString(body, "rkey"));
        Cid? swapCommit = OptionalCid(body, "swapCommit");
        Cid? swapRecord = OptionalCid(body, "swapRecord");

        // Deleting a missing record is a successful no-op (reference PDS), unless a swap demands a record.
        if (swapRecord is null && !_repo.TryGetRecord(account.AccountId, collection, rkey, out _, out _))
        {
            if (swapCommit is { } expected && _repo.GetLatestCommit(account.AccountId)?.Commit != expected)
                throw new XrpcException(400, "InvalidSwap", "Commit was not at swapCommit");
            context.Response.WriteJson(0, static (w, _) => { w.WriteStartObject(); w.WriteEndObject(); });
            return;
        }
        RepoWriteOp op = RepoWriteOp.Delete(collection, rkey, swapRecord is not null, swapRecord);
        RepoCommitResult result = await CommitAsync(account, [op], swapCommit, context).ConfigureAwait(false);
        context.Response.WriteJson(result, static (w, r) =>
        {
            w.WriteStartObject();
            WriteCommitMeta(w, r);
            w.WriteEndObject();
        });
    }

    private async ValueTask ApplyWritesAsync(HttpContext context)
    {
        using JsonDocument doc = await ReadBodyJsonAsync(context).ConfigureAwait(false);
        JsonElement body = doc.RootElement;
        AccountRow account = RequireOwnRepo(context, RequiredString(body, "repo"));
        bool? validate = OptionalBool(body, "validate");
        Cid? swapCommit = OptionalCid(body, "swapCommit");
        if (!body.TryGetProperty("writes"u8, out JsonElement writes) || writes.ValueKind != JsonValueKind.Array)
            throw XrpcException.InvalidRequest("Input must have the property \"writes\" (an array)");
        int count = writes.GetArrayLength();
        if (count > _options.MaxApplyWrites)
            throw XrpcException.InvalidRequest($"Too many writes. Max: {_options.MaxApplyWrites}");
        if (count == 0)
            throw XrpcException.InvalidRequest("Input/writes must not be empty");

        var ops = new List<RepoWriteOp>(count);
        var statuses = new string?[count];
        foreach (JsonElement write in writes.EnumerateArray())
        {
            if (write.ValueKind != JsonValueKind.Object)
                throw XrpcException.InvalidRequest("Input/writes items must be objects");
            string type = RequiredString(write, "$type");
            string collection = CheckCollection(RequiredString(write, "collection"));
            switch (type)
            {
                case ApplyWritesNsid + "#create":
                {
                    string rkey = OptionalString(write, "rkey") is { } given ? CheckRecordKey(collection, given, validate) : _rkeyClock.Next().ToString();
                    PreparedRecord record = PrepareRecord(collection, RecordElement(write, "value"), validate);
                    statuses[ops.Count] = record.ValidationStatus;
                    ops.Add(RepoWriteOp.Create(collection, rkey, record.Cbor));
                    break;
                }
                case ApplyWritesNsid + "#update":
                {
                    string rkey = CheckRecordKey(collection, RequiredString(write, "rkey"), validate);
                    PreparedRecord record = PrepareRecord(collection, RecordElement(write, "value"), validate);
                    statuses[ops.Count] = record.ValidationStatus;
                    ops.Add(RepoWriteOp.Update(collection, rkey, record.Cbor));
                    break;
                }
                case ApplyWritesNsid + "#delete":
                    ops.Add(RepoWriteOp.Delete(collection, CheckRkey(RequiredString(write, "rkey"))));
                    break;
                default:
                    throw XrpcException.InvalidRequest($"Input/writes item has an unknown $type: {type}");
            }
        }

        RepoCommitResult result = await CommitAsync(account, ops, swapCommit, context).ConfigureAwait(false);
        context.Response.WriteJson((result, statuses), static (w, s) =>
        {
            w.WriteStartObject();
            WriteCommitMeta(w, s.result);
            w.WriteStartArray("results"u8);
            for (int i = 0; i < s.result.Results.Count; i++)
            {
                RepoWriteResult r = s.result.Results[i];
                w.WriteStartObject();
                switch (r.Action)
                {
                    case RepoWriteAction.Delete:
                        w.WriteString("$type"u8, ApplyWritesNsid + "#deleteResult");
                        break;
                    default:
                        w.WriteString("$type"u8, r.Action == RepoWriteAction.Create ? ApplyWritesNsid + "#createResult" : ApplyWritesNsid + "#updateResult");
                        w.WriteString("uri"u8, r.Uri);
                        w.WriteString("cid"u8, r.Cid!.Value.ToString());
                        if (s.statuses[i] is { } status)
                            w.WriteString("validationStatus"u8, status);
                        break;
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private async Task<RepoCommitResult> CommitAsync(AccountRow account, IReadOnlyList<RepoWriteOp> ops, Cid? swapCommit, HttpContext context)
    {
        try
        {
            return await _repo.ApplyWritesAsync(account.AccountId, _signingKey(account.AccountId), ops, swapCommit, context.ConnectionAborted)
                .ConfigureAwait(false);
        }
        catch (RepoWriteException ex)
        {
            throw Map(ex);
        }
    }

    private static void WriteCommitMeta(Utf8JsonWriter w, RepoCommitResult result)
    {
        w.WriteStartObject("commit"u8);
        w.WriteString("cid"u8, result.Commit.ToString());
        w.WriteString("rev"u8, result.Rev);
        w.WriteEndObject();
    }

    private static string AtUri(string did, string collection, string rkey) => "at://" + did + "/" + collection + "/" + rkey;

    private static JsonElement RecordElement(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out JsonElement record))
            throw XrpcException.InvalidRequest($"Input must have the property \"{name}\"");
        if (record.ValueKind != JsonValueKind.Object)
            throw new XrpcException(400, "InvalidRecord", $"Input/{name} must be an object");
        return record;
    }

    /// <summary>Checks the key's syntax, and its type against the collection's schema unless validation is off.</summary>
    private string CheckRecordKey(string collection, string rkey, bool? validate)
    {
        CheckRkey(rkey);
        if (validate != false)
        {
            LexiconValidationResult check = _lexicons.ValidateRecordKey(collection, rkey);
            if (check.Status == LexiconValidationStatus.Invalid)
                throw XrpcException.InvalidRequest(check.Message ?? "Invalid record key");
        }
        return rkey;
    }

    /// <summary>
    /// Turns a JSON record into DAG-CBOR: fills a missing <c>$type</c>, validates against the collection's lexicon
    /// (validate true: must exist and pass; absent: only when known; false: never) and checks the data model.
    /// </summary>
    private PreparedRecord PrepareRecord(string collection, JsonElement record, bool? validate)
    {
        JsonDocument? filled = null;
        try
        {
            if (!record.TryGetProperty("$type"u8, out JsonElement type))
            {
                filled = WithType(record, collection);
                record = filled.RootElement;
            }
            else if (type.ValueKind != JsonValueKind.String)
            {
                throw new XrpcException(400, "InvalidRecord", "Record/$type must be a string");
            }
            else if (validate != false && !type.ValueEquals(collection))
            {
                throw new XrpcException(400, "InvalidRecord", $"Invalid $type: expected {collection}, got {type.GetString()}");
            }

            string? status = null;
            if (validate != false)
            {
                LexiconValidationResult result = _lexicons.ValidateRecord(collection, record);
                if (result.IsValid)
                    status = "valid";
                else if (result.Status == LexiconValidationStatus.LexiconNotFound)
                    status = validate == true
                        ? throw XrpcException.InvalidRequest($"Lexicon not found: lex:{collection}")
                        : "unknown";
                else
                    throw new XrpcException(400, "InvalidRecord", result.Message ?? "Invalid record");
            }

            var cbor = new ArrayBufferWriter<byte>(256);
            try
            {
                DagJson.JsonToCbor(record, cbor);
            }
            catch (Exception ex) when (ex is DataModelException or DagCborException or FormatException)
            {
                throw new XrpcException(400, "InvalidRecord", "Record is not valid atproto data: " + ex.Message);
            }
            return new PreparedRecord(cbor.WrittenSpan.ToArray(), status);
        }
        finally
        {
            filled?.Dispose();
        }
    }

    private static JsonDocument WithType(JsonElement record, string collection)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("$type"u8, collection);
            foreach (JsonProperty property in record.EnumerateObject())
                property.WriteTo(writer);
            writer.WriteEndObject();
        }
        return JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = 128 });
    }
}
