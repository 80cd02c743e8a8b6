using Alteran.Net.Http;
using Alteran.Net.Xrpc;
using Alteran.Storage;
using Alteran.Storage.Accounts;
using Alteran.Storage.Blobs;

namespace Alteran.Net.Pds.Repo;

public sealed partial class RepoXrpcHandlers
{
    private async ValueTask UploadBlobAsync(HttpContext context)
    {
        AuthenticatedAccount caller = _auth.RequireAccess(context);
        AccountRow account = _store.GetAccount(caller.AccountId) ?? throw XrpcException.InvalidRequest("Could not find repo");
        if (account.Status != AccountStatus.Active)
            throw XrpcException.InvalidRequest("Account is not active");

        // Read just enough to recognise the type, then stream the rest (never buffered whole) into the store.
        byte[] prefix = new byte[BlobMimeSniffer.PrefixLength];
        int have = 0;
        Stream body = context.BodyStream;
        for (int n; have < prefix.Length && (n = await body.ReadAsync(prefix.AsMemory(have), context.ConnectionAborted).ConfigureAwait(false)) > 0;)
            have += n;
        if (have == 0)
            throw XrpcException.InvalidRequest("Request body is required");
        string? mime = BlobMimeSniffer.Sniff(prefix.AsSpan(0, have));
        if (mime is null || !_options.AllowedBlobMimeTypes.Contains(mime))
            throw XrpcException.InvalidRequest(mime is null
                ? "Unsupported blob type: the content is not a recognised image or video format"
                : $"Unsupported blob type: {mime}");

        BlobInfo blob;
        try
        {
            await using var content = new PrefixedStream(prefix.AsMemory(0, have), body);
            blob = await _store.UploadBlobAsync(caller.AccountId, content, mime, _options.MaxBlobBytes, context.ConnectionAborted)
                .ConfigureAwait(false);
        }
        catch (StorageException ex) when (ex.Error == StorageError.QuotaExceeded)
        {
            throw new XrpcException(413, "PayloadTooLarge", ex.Message); // over MaxBlobBytes or the account quota
        }

        context.Response.WriteJson(blob, static (w, b) =>
        {
            w.WriteStartObject();
            w.WriteStartObject("blob"u8);
            w.WriteString("$type"u8, "blob"u8);
            w.WriteStartObject("ref"u8);
            w.WriteString("$link"u8, b.Cid.ToString());
            w.WriteEndObject();
            w.WriteString("mimeType"u8, b.MimeType);
            w.WriteNumber("size"u8, b.Size);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    // Records can only reference blobs this account already stored (commits refuse others with "Could not find
    // blob"), so no repo written through this server has missing blobs. Repo import (migration) would be the
    // source of missing blobs; it is not implemented yet.
    private ValueTask ListMissingBlobs(HttpContext context)
    {
        _auth.RequireAccess(context);
        LimitParam(context, 1, 1000, 500);
        context.Response.WriteJson(0, static (w, _) =>
        {
            w.WriteStartObject();
            w.WriteStartArray("blobs"u8);
            w.WriteEndArray();
            w.WriteEndObject();
        });
        return ValueTask.CompletedTask;
    }
}
