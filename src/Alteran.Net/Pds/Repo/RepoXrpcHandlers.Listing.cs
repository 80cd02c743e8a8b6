using System.Globalization;
using Alteran.Net.Http;
using Alteran.Net.Xrpc;
using Alteran.Protocol;
using Alteran.Storage.Accounts;
using Alteran.Storage.Blobs;

namespace Alteran.Net.Pds.Repo;

public sealed partial class RepoXrpcHandlers
{
    /// <summary>
    /// <c>com.atproto.sync.listRepos</c>: hosted repos in account-id order (one bounded range scan of the account
    /// rows); the cursor is the last account id examined. Accounts without a repo yet are skipped (a page may then
    /// hold fewer than <c>limit</c> entries and still carry a cursor).
    /// </summary>
    private ValueTask ListRepos(HttpContext context)
    {
        int limit = LimitParam(context, 1, 1000, 500);
        long after = 0;
        if (context.Request.Query.GetString("cursor"u8) is { } cursor
            && (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after < 0))
            throw XrpcException.InvalidRequest("Invalid cursor");

        AccountPage page = _store.ListAccounts(after, limit);
        context.Response.WriteJson(page, static (w, p) =>
        {
            w.WriteStartObject();
            if (p.NextCursor != 0)
                w.WriteString("cursor"u8, p.NextCursor.ToString(CultureInfo.InvariantCulture));
            w.WriteStartArray("repos"u8);
            foreach (AccountListing listing in p.Accounts)
            {
                if (listing.Root is not { } root || listing.Account.Status == AccountStatus.Deleted)
                    continue;
                w.WriteStartObject();
                w.WriteString("did"u8, listing.Account.Did);
                w.WriteString("head"u8, root.Commit.ToString());
                w.WriteString("rev"u8, root.Rev);
                bool active = listing.Account.Status == AccountStatus.Active;
                w.WriteBoolean("active"u8, active);
                if (!active)
                    w.WriteString("status"u8, StatusName(listing.Account.Status));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// <c>com.atproto.sync.listBlobs</c>: CIDs of the blobs the repo's records reference, from the store's blob
    /// reference index (one seek per blob), in binary CID order (the reference orders by CID text; the cursor is
    /// opaque either way). <c>since</c> keeps blobs a commit after that rev referenced (references older than the
    /// schema-2 store upgrade always match). A page may be short when its scan bound was reached; follow the cursor.
    /// </summary>
    private ValueTask ListBlobs(HttpContext context)
    {
        AccountRow account = RequireServedRepo(context.Request.Query.GetString("did"u8));
        int limit = LimitParam(context, 1, 1000, 500);
        string? since = context.Request.Query.GetString("since"u8);
        if (since is not null && !Protocol.Syntax.Tid.IsValid(since))
            throw XrpcException.InvalidRequest("Parameter 'since' must be a TID");
        Cid after = default;
        if (context.Request.Query.GetString("cursor"u8) is { } cursor && !Cid.TryParse(cursor, out after))
            throw XrpcException.InvalidRequest("Invalid cursor");

        BlobPage page = _store.ListBlobs(account.AccountId, since, after, limit);
        context.Response.WriteJson(page, static (w, p) =>
        {
            w.WriteStartObject();
            if (!p.NextCursor.IsEmpty)
                w.WriteString("cursor"u8, p.NextCursor.ToString());
            w.WriteStartArray("cids"u8);
            foreach (Cid cid in p.Cids)
                w.WriteStringValue(cid.ToString());
            w.WriteEndArray();
            w.WriteEndObject();
        });
        return ValueTask.CompletedTask;
    }

    private static string StatusName(AccountStatus status) => status switch
    {
        AccountStatus.Takendown => "takendown",
        AccountStatus.Suspended => "suspended",
        _ => "deactivated",
    };
}
