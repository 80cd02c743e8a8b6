using System.Globalization;
using Alteran.Net.Http;
using Alteran.Net.Repo;
using Alteran.Net.Xrpc;
using Alteran.Protocol;
using Alteran.Protocol.Cbor;
using Alteran.Storage.Accounts;

namespace Alteran.Net.Pds.Repo;

public sealed partial class RepoXrpcHandlers
{
    // The store allocates account ids from a counter but exposes no account enumeration, so listRepos walks ids
    // upward from the cursor and stops after this many consecutive unused ids (deleted accounts leave gaps).
    private const int MaxAccountIdGap = 1000;
    private const int ListBlobsPageRecords = 1000;

    /// <summary><c>com.atproto.sync.listRepos</c>: hosted repos in account-id order; the cursor is the last id.</summary>
    private ValueTask ListRepos(HttpContext context)
    {
        int limit = LimitParam(context, 1, 1000, 500);
        long after = 0;
        if (context.Request.Query.GetString("cursor"u8) is { } cursor
            && (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after < 0))
            throw XrpcException.InvalidRequest("Invalid cursor");

        var repos = new List<(AccountRow Account, RepoHead Head)>(Math.Min(limit, 64));
        long id = after;
        bool more = false;
        for (int misses = 0; misses < MaxAccountIdGap && id < long.MaxValue;)
        {
            id++;
            AccountRow? account = _store.GetAccount(id);
            if (account is null || account.Status == AccountStatus.Deleted || _repo.GetLatestCommit(id) is not { } head)
            {
                misses++;
                continue;
            }
            misses = 0;
            if (repos.Count == limit)
            {
                more = true; // a next page exists
                break;
            }
            repos.Add((account, head));
        }

        context.Response.WriteJson((repos, more), static (w, s) =>
        {
            w.WriteStartObject();
            if (s.more)
                w.WriteString("cursor"u8, s.repos[^1].Account.AccountId.ToString(CultureInfo.InvariantCulture));
            w.WriteStartArray("repos"u8);
            foreach ((AccountRow account, RepoHead head) in s.repos)
            {
                w.WriteStartObject();
                w.WriteString("did"u8, account.Did);
                w.WriteString("head"u8, head.Commit.ToString());
                w.WriteString("rev"u8, head.Rev);
                bool active = account.Status == AccountStatus.Active;
                w.WriteBoolean("active"u8, active);
                if (!active)
                    w.WriteString("status"u8, StatusName(account.Status));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// <c>com.atproto.sync.listBlobs</c>: CIDs of the blobs the repo's current records reference, in CID string order
    /// (as the reference, which reads its record-blob table). The store keeps no per-account blob listing, so this
    /// reads every record: cost grows with the repo. <c>since</c> is syntax-checked but not applied.
    /// </summary>
    private ValueTask ListBlobs(HttpContext context)
    {
        AccountRow account = RequireServedRepo(context.Request.Query.GetString("did"u8));
        int limit = LimitParam(context, 1, 1000, 500);
        string? cursor = context.Request.Query.GetString("cursor"u8);
        if (context.Request.Query.GetString("since"u8) is { } since && !Protocol.Syntax.Tid.IsValid(since))
            throw XrpcException.InvalidRequest("Parameter 'since' must be a TID");

        var all = new SortedSet<string>(StringComparer.Ordinal);
        var refs = new List<Cid>();
        foreach (string collection in _repo.ListCollections(account.AccountId))
        {
            string? rkey = null;
            while (true)
            {
                List<RepoRecord> page = _repo.ListRecords(account.AccountId, collection, ListBlobsPageRecords, rkey);
                foreach (RepoRecord record in page)
                {
                    refs.Clear();
                    DagCbor.CollectBlobRefs(record.Value, refs);
                    foreach (Cid cid in refs)
                        all.Add(cid.ToString());
                }
                if (page.Count < ListBlobsPageRecords)
                    break;
                rkey = page[^1].Rkey;
            }
        }

        var cids = new List<string>(Math.Min(limit, all.Count));
        foreach (string cid in all)
        {
            if (cursor is not null && string.CompareOrdinal(cid, cursor) <= 0)
                continue;
            if (cids.Count == limit)
                break;
            cids.Add(cid);
        }
        bool full = cids.Count == limit;
        context.Response.WriteJson((cids, full), static (w, s) =>
        {
            w.WriteStartObject();
            if (s.full)
                w.WriteString("cursor"u8, s.cids[^1]);
            w.WriteStartArray("cids"u8);
            foreach (string cid in s.cids)
                w.WriteStringValue(cid);
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
