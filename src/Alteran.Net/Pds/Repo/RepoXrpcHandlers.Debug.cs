using System.Buffers;
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
    private const int JsonPageSize = 1000;
    private const int JsonFlushBytes = 64 * 1024;

    /// <summary>
    /// <c>com.atproto.sync.getRepo.json</c> and <c>getCheckout.json</c> (Alteran debugging routes, not atproto lexicons): the repo's records as
    /// JSON, <c>{did, head, rev, records: [{uri, cid, value}]}</c>, streamed in collection then rkey order. Reads pages
    /// of the live record index, so a commit landing mid-stream may show through; use <c>getRepo</c> for a snapshot.
    /// </summary>
    private async ValueTask GetRepoJsonAsync(HttpContext context)
    {
        AccountRow account = RequireServedRepo(context.Request.Query.GetString("did"u8));
        RepoHead head = _repo.GetLatestCommit(account.AccountId)
            ?? throw new XrpcException(400, "RepoNotFound", $"Could not find repo for DID: {account.Did}");
        List<string> collections = _repo.ListCollections(account.AccountId);

        ResponseBodyWriter body = context.Response.StartBody("application/json; charset=utf-8"u8);
        var buffer = new ArrayBufferWriter<byte>(JsonFlushBytes * 2);
        await using var json = new Utf8JsonWriter(buffer);
        json.WriteStartObject();
        json.WriteString("did"u8, account.Did);
        json.WriteString("head"u8, head.Commit.ToString());
        json.WriteString("rev"u8, head.Rev);
        json.WriteStartArray("records"u8);
        foreach (string collection in collections)
        {
            string? cursor = null;
            while (true)
            {
                List<RepoRecord> page = _repo.ListRecords(account.AccountId, collection, JsonPageSize, cursor);
                foreach (RepoRecord record in page)
                {
                    json.WriteStartObject();
                    json.WriteString("uri"u8, AtUri(account.Did, collection, record.Rkey));
                    json.WriteString("cid"u8, record.Cid.ToString());
                    json.WritePropertyName("value"u8);
                    DagJson.CborToJson(record.Value, json);
                    json.WriteEndObject();
                    if (json.BytesPending + buffer.WrittenCount >= JsonFlushBytes)
                        await FlushJsonAsync(json, buffer, body, context.ConnectionAborted).ConfigureAwait(false);
                }
                if (page.Count < JsonPageSize)
                    break;
                cursor = page[^1].Rkey;
            }
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await FlushJsonAsync(json, buffer, body, context.ConnectionAborted).ConfigureAwait(false);
        await body.CompleteAsync(context.ConnectionAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>com.atproto.sync.getBlocks.json</c> (an Alteran debugging route): repo blocks decoded to the atproto JSON
    /// form, <c>{blocks: [{cid, value}], missing: [cid]}</c>. CIDs come as repeated <c>cids</c> parameters (as for
    /// <c>getBlocks</c>) and/or comma-separated (as Alteran took them); at most <see cref="MaxGetBlocks"/>, each a valid
    /// CID (400 otherwise). Unlike <c>getBlocks</c>, missing blocks are listed rather than failing the request.
    /// </summary>
    private ValueTask GetBlocksJsonAsync(HttpContext context)
    {
        AccountRow account = RequireServedRepo(context.Request.Query.GetString("did"u8));
        List<Cid> cids = CidsParam(context, commaLists: true);
        if (cids.Count == 0)
            throw XrpcException.InvalidRequest("Parameter 'cids' is required");

        byte[]?[] blocks = _repo.ReadBlocks(account.AccountId, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(cids));
        context.Response.WriteJson((cids, blocks), static (json, state) =>
        {
            json.WriteStartObject();
            json.WriteStartArray("blocks"u8);
            for (int i = 0; i < state.cids.Count; i++)
            {
                if (state.blocks[i] is not { } block)
                    continue;
                json.WriteStartObject();
                json.WriteString("cid"u8, state.cids[i].ToString());
                json.WritePropertyName("value"u8);
                DagJson.CborToJson(block, json);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("missing"u8);
            for (int i = 0; i < state.cids.Count; i++)
                if (state.blocks[i] is null)
                    json.WriteStringValue(state.cids[i].ToString());
            json.WriteEndArray();
            json.WriteEndObject();
        });
        return ValueTask.CompletedTask;
    }

    private static async ValueTask FlushJsonAsync(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer, ResponseBodyWriter body, CancellationToken cancellationToken)
    {
        json.Flush();
        await body.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        buffer.ResetWrittenCount();
    }
}
