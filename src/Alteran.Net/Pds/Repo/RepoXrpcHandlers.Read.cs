using System.Text.Json;
using Alteran.Net.Http;
using Alteran.Net.Repo;
using Alteran.Net.Xrpc;
using Alteran.Protocol;
using Alteran.Protocol.DataModel;
using Alteran.Storage.Accounts;

namespace Alteran.Net.Pds.Repo;

public sealed partial class RepoXrpcHandlers
{
    private ValueTask GetRecord(HttpContext context)
    {
        string repo = RequiredParam(context, "repo"u8);
        string collection = CheckCollection(RequiredParam(context, "collection"u8));
        string rkey = CheckRkey(RequiredParam(context, "rkey"u8));
        Cid? wanted = context.Request.Query.GetString("cid"u8) is { } c ? ParseCid(c, "cid") : null;
        AccountRow? account = FindAccount(repo);
        if (account is null || account.Status is AccountStatus.Takendown or AccountStatus.Suspended
            || !_repo.TryGetRecord(account.AccountId, collection, rkey, out Cid cid, out byte[] value)
            || (wanted is { } w && w != cid))
            throw new XrpcException(400, "RecordNotFound", $"Could not locate record: at://{repo}/{collection}/{rkey}");

        context.Response.WriteJson((AtUri(account.Did, collection, rkey), cid, value), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("uri"u8, s.Item1);
            w.WriteString("cid"u8, s.cid.ToString());
            w.WritePropertyName("value"u8);
            DagJson.CborToJson(s.value, w);
            w.WriteEndObject();
        });
        return ValueTask.CompletedTask;
    }

    private ValueTask ListRecords(HttpContext context)
    {
        string repo = RequiredParam(context, "repo"u8);
        string collection = CheckCollection(RequiredParam(context, "collection"u8));
        int limit = LimitParam(context, 1, 100, 50);
        bool reverse = BoolParam(context, "reverse"u8);
        string? cursor = context.Request.Query.GetString("cursor"u8);
        if (cursor is not null)
            CheckRkey(cursor);
        AccountRow account = FindAccount(repo) ?? throw XrpcException.InvalidRequest($"Could not find repo: {repo}");
        if (account.Status is AccountStatus.Takendown or AccountStatus.Suspended)
            throw XrpcException.InvalidRequest($"Could not find repo: {repo}");

        // The reference lists newest first (descending rkey) by default; "reverse" gives ascending order.
        List<RepoRecord> records = _repo.ListRecords(account.AccountId, collection, limit, cursor, reverse: !reverse);
        context.Response.WriteJson((account.Did, collection, records, limit), static (w, s) =>
        {
            w.WriteStartObject();
            if (s.records.Count == s.limit)
                w.WriteString("cursor"u8, s.records[^1].Rkey);
            w.WriteStartArray("records"u8);
            foreach (RepoRecord r in s.records)
            {
                w.WriteStartObject();
                w.WriteString("uri"u8, AtUri(s.Did, s.collection, r.Rkey));
                w.WriteString("cid"u8, r.Cid.ToString());
                w.WritePropertyName("value"u8);
                DagJson.CborToJson(r.Value, w);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
        return ValueTask.CompletedTask;
    }

    private ValueTask DescribeRepo(HttpContext context)
    {
        string repo = RequiredParam(context, "repo"u8);
        AccountRow account = FindAccount(repo) ?? throw XrpcException.InvalidRequest($"Could not find user: {repo}");
        if (account.Status is AccountStatus.Takendown or AccountStatus.Suspended)
            throw XrpcException.InvalidRequest($"Could not find user: {repo}");
        List<string> collections = _repo.ListCollections(account.AccountId);
        context.Response.WriteJson((account, collections), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("handle"u8, s.account.Handle ?? "handle.invalid");
            w.WriteString("did"u8, s.account.Did);
            // The full DID document is the identity layer's; this minimal one names the subject.
            w.WriteStartObject("didDoc"u8);
            w.WriteString("id"u8, s.account.Did);
            w.WriteEndObject();
            w.WriteStartArray("collections"u8);
            foreach (string c in s.collections)
                w.WriteStringValue(c);
            w.WriteEndArray();
            w.WriteBoolean("handleIsCorrect"u8, s.account.Handle is not null);
            w.WriteEndObject();
        });
        return ValueTask.CompletedTask;
    }
}
