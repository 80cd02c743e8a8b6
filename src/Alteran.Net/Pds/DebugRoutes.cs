using System.Diagnostics;
using System.Text.Json;
using Alteran.Net.Http;
using Alteran.Net.Repo;
using Alteran.Net.Xrpc;

namespace Alteran.Net.Pds;

/// <summary>
/// Operator diagnostics under <c>/debug/*</c>, mapped only when <c>PDS_DEBUG_ROUTES=true</c> (refused in production
/// by options validation; absent, so 404, otherwise) and answered only to the account's bearer token.
/// <c>GET /debug/stats</c>: store (seq range, event log length, write batches, block cache), repo head, firehose,
/// handle cache and process (RSS, GC, thread pool) figures, as one JSON object.
/// </summary>
public sealed class DebugRoutes(PdsRuntime pds)
{
    /// <summary>The stats path.</summary>
    public const string StatsPath = "/debug/stats";

    /// <summary>Registers the routes when enabled; does nothing otherwise.</summary>
    public void Register(XrpcRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);
        if (!pds.Options.DebugRoutes)
            return;
        router.MapPath(StatsPath, XrpcMethodKind.Query, Stats);
    }

    private ValueTask Stats(HttpContext ctx)
    {
        pds.Authenticator.RequireAccess(ctx);
        ctx.Response.WriteJson(pds, WriteStats);
        return ValueTask.CompletedTask;
    }

    private static void WriteStats(Utf8JsonWriter json, PdsRuntime pds)
    {
        long lastSeq = pds.Store.LastSeq;
        long firstSeq = pds.Store.FirstSeq;
        json.WriteStartObject();

        json.WriteStartObject("store"u8);
        json.WriteNumber("schemaVersion"u8, pds.Store.SchemaVersion);
        json.WriteNumber("lastSeq"u8, lastSeq);
        json.WriteNumber("firstSeq"u8, firstSeq);
        json.WriteNumber("eventLogEntries"u8, firstSeq == 0 ? 0 : lastSeq - firstSeq + 1); // seqs are dense between prunes
        json.WriteNumber("writeBatches"u8, pds.Store.WriteBatchCount);
        json.WriteNumber("blockCacheUsageBytes"u8, pds.Store.CacheUsageBytes);
        json.WriteNumber("accounts"u8, pds.Store.GetAccount(pds.AccountId) is null ? 0 : 1); // single-account server
        json.WriteEndObject();

        json.WriteStartObject("repo"u8);
        json.WriteString("did"u8, pds.Did);
        json.WriteString("handle"u8, pds.Handle);
        RepoHead? head = pds.Repo.GetLatestCommit(pds.AccountId);
        if (head is not null)
        {
            json.WriteString("rev"u8, head.Value.Rev);
            json.WriteString("commit"u8, head.Value.Commit.ToString());
        }
        json.WriteEndObject();

        json.WriteStartObject("firehose"u8);
        json.WriteNumber("subscribers"u8, pds.Firehose.SubscriberCount);
        json.WriteNumber("droppedTooSlow"u8, pds.Firehose.TooSlowCount);
        json.WriteNumber("pendingEvents"u8, pds.Sequencer.PendingCount);
        json.WriteEndObject();

        json.WriteStartObject("identity"u8);
        json.WriteNumber("handleCacheEntries"u8, pds.HandleResolver.Cache.Count);
        json.WriteEndObject();

        GCMemoryInfo gc = GC.GetGCMemoryInfo();
        using Process process = Process.GetCurrentProcess();
        json.WriteStartObject("process"u8);
        json.WriteNumber("rssBytes"u8, Environment.WorkingSet);
        json.WriteNumber("uptimeSeconds"u8, (long)(DateTime.Now - process.StartTime).TotalSeconds);
        json.WriteNumber("cpuSeconds"u8, Math.Round(process.TotalProcessorTime.TotalSeconds, 3));
        json.WriteNumber("threads"u8, process.Threads.Count);
        json.WriteNumber("threadPoolThreads"u8, ThreadPool.ThreadCount);
        json.WriteNumber("threadPoolQueued"u8, ThreadPool.PendingWorkItemCount);
        json.WriteNumber("managedHeapBytes"u8, GC.GetTotalMemory(forceFullCollection: false));
        json.WriteNumber("gcCommittedBytesAtLastGc"u8, gc.TotalCommittedBytes); // 0 until the first collection
        json.WriteNumber("gcAllocatedBytes"u8, GC.GetTotalAllocatedBytes());
        json.WriteNumber("gcGen0"u8, GC.CollectionCount(0));
        json.WriteNumber("gcGen1"u8, GC.CollectionCount(1));
        json.WriteNumber("gcGen2"u8, GC.CollectionCount(2));
        json.WriteNumber("gcPauseMs"u8, Math.Round(GC.GetTotalPauseDuration().TotalMilliseconds, 3));
        json.WriteEndObject();

        json.WriteEndObject();
    }
}
