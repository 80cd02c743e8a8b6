using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using System.Text;
using Alteran.Net.Http;
using Alteran.Net.Repo;
using Alteran.Net.Xrpc;
using Alteran.Protocol;
using Alteran.Protocol.Syntax;
using Alteran.Storage.Accounts;
using Alteran.Storage.Blobs;

namespace Alteran.Net.Pds.Repo;

public sealed partial class RepoXrpcHandlers
{
    private const int MaxGetBlocks = 1000;

    private static ReadOnlySpan<byte> CarContentType => "application/vnd.ipld.car"u8;

    private async ValueTask GetRepoAsync(HttpContext context)
    {
        AccountRow account = RequireServedRepo(context.Request.Query.GetString("did"u8));
        // "since": only the blocks of later commits (newest first); root is the head commit either way, and
        // since = head gives a CAR with the root and no blocks, as the reference (repoRev > since).
        string? since = context.Request.Query.GetString("since"u8);
        if (since is not null && !Tid.IsValid(since))
            throw XrpcException.InvalidRequest("Parameter 'since' must be a TID");
        if (_repo.GetLatestCommit(account.AccountId) is null)
            throw new XrpcException(400, "RepoNotFound", $"Could not find repo for DID: {account.Did}");

        // RepoService writes into a pipe (flushing every 64 KB); we forward each segment to the socket, so a
        // slow client back-pressures the export rather than letting it buffer the repo.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 256 * 1024, resumeWriterThreshold: 128 * 1024, useSynchronizationContext: false));
        Task<bool> export = ExportAsync(account.AccountId, since, pipe.Writer, context.ConnectionAborted);
        ResponseBodyWriter body = context.Response.StartBody(CarContentType);
        try
        {
            while (true)
            {
                ReadResult read = await pipe.Reader.ReadAsync(context.ConnectionAborted).ConfigureAwait(false);
                foreach (ReadOnlyMemory<byte> segment in read.Buffer)
                    await body.WriteAsync(segment, context.ConnectionAborted).ConfigureAwait(false);
                pipe.Reader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                    break;
            }
            await export.ConfigureAwait(false);
            await body.CompleteAsync(context.ConnectionAborted).ConfigureAwait(false);
        }
        finally
        {
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task<bool> ExportAsync(long account, string? since, PipeWriter writer, CancellationToken cancellationToken)
    {
        try
        {
            bool found = await _repo.ExportRepoAsync(account, writer, cancellationToken: cancellationToken, since: since).ConfigureAwait(false);
            await writer.CompleteAsync().ConfigureAwait(false);
            return found;
        }
        catch (Exception ex)
        {
            await writer.CompleteAsync(ex).ConfigureAwait(false); // surfaces on the reader side; the response aborts
            throw;
        }
    }

    private ValueTask SyncGetRecordAsync(HttpContext context)
    {
        AccountRow account = RequireServedRepo(context.Request.Query.GetString("did"u8));
        string collection = CheckCollection(RequiredParam(context, "collection"u8));
        string rkey = CheckRkey(RequiredParam(context, "rkey"u8));
        var car = new ArrayBufferWriter<byte>(4096);
        // Inclusion proof when the record exists, exclusion proof (the MST path) otherwise, as the reference.
        if (!_repo.WriteRecordProof(account.AccountId, collection, rkey, car))
            throw new XrpcException(400, "RepoNotFound", $"Could not find repo for DID: {account.Did}");
        context.Response.WriteBody(car.WrittenSpan, CarContentType);
        return ValueTask.CompletedTask;
    }

    private ValueTask GetBlocksAsync(HttpContext context)
    {
        AccountRow account = RequireServedRepo(context.Request.Query.GetString("did"u8));
        List<Cid> cids = CidsParam(context, commaLists: false);
        var car = new ArrayBufferWriter<byte>(4096);
        List<Cid> missing = _repo.WriteBlocks(account.AccountId, CollectionsMarshal.AsSpan(cids), car);
        if (missing.Count > 0)
        {
            var message = new StringBuilder("Could not find cids: ");
            for (int i = 0; i < missing.Count && i < 20; i++)
                message.Append(i == 0 ? "" : ", ").Append(missing[i].ToString());
            throw new XrpcException(400, "BlockNotFound", message.ToString());
        }
        context.Response.WriteBody(car.WrittenSpan, CarContentType);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The <c>cids</c> parameters: at most <see cref="MaxGetBlocks"/>, each a valid CID (400 otherwise). With
    /// <paramref name="commaLists"/> a value may also hold several, comma-separated (Alteran's <c>getBlocks.json</c>).
    /// </summary>
    private static List<Cid> CidsParam(HttpContext context, bool commaLists)
    {
        var texts = new List<string>();
        context.Request.Query.GetAll("cids"u8, texts, MaxGetBlocks + 1);
        if (!commaLists && texts.Count > MaxGetBlocks)
            throw XrpcException.InvalidRequest($"At most {MaxGetBlocks} cids per request");
        var cids = new List<Cid>(Math.Min(texts.Count, MaxGetBlocks));
        foreach (string text in texts)
        {
            foreach (string part in commaLists ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [text])
            {
                if (cids.Count == MaxGetBlocks)
                    throw XrpcException.InvalidRequest($"At most {MaxGetBlocks} cids per request");
                cids.Add(ParseCid(part, "cids"));
            }
        }
        return cids;
    }

    private ValueTask GetLatestCommit(HttpContext context)
    {
        AccountRow account = RequireServedRepo(context.Request.Query.GetString("did"u8));
        RepoHead head = _repo.GetLatestCommit(account.AccountId)
            ?? throw new XrpcException(400, "RepoNotFound", $"Could not find root for DID: {account.Did}");
        context.Response.WriteJson(head, static (w, h) =>
        {
            w.WriteStartObject();
            w.WriteString("cid"u8, h.Commit.ToString());
            w.WriteString("rev"u8, h.Rev);
            w.WriteEndObject();
        });
        return ValueTask.CompletedTask;
    }

    private ValueTask GetRepoStatus(HttpContext context)
    {
        AccountRow account = RequireServedRepo(context.Request.Query.GetString("did"u8), allowInactive: true);
        RepoHead? head = _repo.GetLatestCommit(account.AccountId);
        context.Response.WriteJson((account, head), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("did"u8, s.account.Did);
            bool active = s.account.Status == AccountStatus.Active;
            w.WriteBoolean("active"u8, active);
            if (!active)
            {
                w.WriteString("status"u8, StatusName(s.account.Status));
            }
            else if (s.head is { } h)
            {
                w.WriteString("rev"u8, h.Rev);
            }
            w.WriteEndObject();
        });
        return ValueTask.CompletedTask;
    }

    private async ValueTask GetBlobAsync(HttpContext context)
    {
        AccountRow account = RequireServedRepo(context.Request.Query.GetString("did"u8));
        Cid cid = ParseCid(RequiredParam(context, "cid"u8), "cid");
        // Only blobs a record references are public; fresh uploads stay private until committed (as the reference).
        if (!_store.TryGetBlob(account.AccountId, cid, out BlobInfo info) || !_store.IsBlobReferenced(account.AccountId, cid))
            throw new XrpcException(400, "BlobNotFound", "Blob not found");
        FileStream file = _store.OpenBlob(account.AccountId, cid) ?? throw new XrpcException(400, "BlobNotFound", "Blob not found");
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            await using (file.ConfigureAwait(false))
            {
                HttpResponse response = context.Response;
                // Served content never runs on this origin: no scripts, no sniffing into an active type.
                response.AddHeader("Content-Security-Policy"u8, "default-src 'none'; sandbox"u8);
                response.AddHeader("X-Content-Type-Options"u8, "nosniff"u8);
                response.AddHeader("Cache-Control"u8, "private, max-age=31536000, immutable"u8);
                ResponseBodyWriter body = response.StartBody(Encoding.ASCII.GetBytes(info.MimeType), info.Size);
                long remaining = info.Size;
                while (remaining > 0)
                {
                    int n = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), context.ConnectionAborted).ConfigureAwait(false);
                    if (n == 0)
                        throw new IOException($"Blob {cid} is shorter than its recorded size."); // aborts the fixed-length response
                    await body.WriteAsync(buffer.AsMemory(0, n), context.ConnectionAborted).ConfigureAwait(false);
                    remaining -= n;
                }
                await body.CompleteAsync(context.ConnectionAborted).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
