using Alteran.Protocol;
using Alteran.Storage;
using Alteran.Storage.Blocks;
using Alteran.Storage.Log;
using Alteran.Storage.Repos;
using BenchmarkDotNet.Attributes;

namespace Alteran.Benchmarks.Storage;

/// <summary>
/// Reads over a store holding one repo of <see cref="Records"/> records (record blocks ~300 B + one MST-node-sized
/// block per 4 records) and as many events of ~1.5 KB: record point reads, whole-repo block streaming
/// (divide the bytes streamed, printed at setup, by the mean for MB/s), event-log range reads, and open time.
/// </summary>
[MemoryDiagnoser]
public class ReadBenchmarks
{
    private const int PointReads = 10_000;
    private const int EventReads = 10_000;
    private string _dir = "";
    private AlteranStore _store = null!;
    private string[] _rkeys = [];
    private string _lastButOneRev = "";

    [Params(10_000, 100_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = StorageBench.NewDirectory();
        var random = new Random(1);
        _rkeys = new string[Records];
        long bytes = 0;
        using (AlteranStore store = AlteranStore.Open(_dir))
        {
            const int PerCommit = 500;
            var pending = new List<Task>();
            for (int start = 0; start < Records; start += PerCommit)
            {
                var c = new PreparedCommit { AccountId = 1, Rev = Alteran.Protocol.Syntax.Tid.FromTimestamp(1_700_000_000_000_000 + start, 0).ToString() };
                if (start + PerCommit >= Records && start > 0)
                    _lastButOneRev = Alteran.Protocol.Syntax.Tid.FromTimestamp(1_700_000_000_000_000 + start - PerCommit, 0).ToString();
                for (int i = start; i < Math.Min(Records, start + PerCommit); i++)
                {
                    string rkey = "3l" + i.ToString("D11", System.Globalization.CultureInfo.InvariantCulture);
                    _rkeys[i] = rkey;
                    byte[] record = StorageBench.Bytes(random, 300, i);
                    Cid cid = Cid.ForDagCbor(record);
                    c.AddBlock(cid, record);
                    c.PutRecord("app.bsky.feed.post", rkey, cid);
                    bytes += record.Length;
                    if (i % 4 == 0)
                    {
                        byte[] node = StorageBench.Bytes(random, 1200, -i);
                        c.AddBlock(Cid.ForDagCbor(node), node);
                        bytes += node.Length;
                    }
                }
                c.Commit = Cid.ForDagCbor(BitConverter.GetBytes(start));
                c.Event = new FakeFrame(1500);
                store.ApplyCommitAsync(c).GetAwaiter().GetResult();
                for (int e = 1; e < PerCommit; e++) // fill the log up to Records events
                    pending.Add(store.AppendEventAsync(1, new FakeFrame(1500)));
            }
            Task.WaitAll(pending.ToArray());
        }
        _store = AlteranStore.Open(_dir);
        Console.WriteLine($"// repo blocks: {bytes / 1e6:F1} MB, events: {_store.LastSeq}");
        Random.Shared.Shuffle(_rkeys);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        StorageBench.Delete(_dir);
    }

    [Benchmark(OperationsPerInvoke = PointReads)]
    public int RecordPointRead()
    {
        int found = 0;
        for (int i = 0; i < PointReads; i++)
            if (_store.TryGetRecord(1, "app.bsky.feed.post", _rkeys[i], out _)) found++;
        return found;
    }

    [Benchmark]
    public long StreamRepoBlocks()
    {
        long bytes = 0;
        using RepoBlockCursor cursor = _store.StreamRepoBlocks(1);
        while (cursor.MoveNext())
            bytes += cursor.Data.Length + Cid.ByteLength;
        return bytes;
    }

    /// <summary>getRepo?since= the last-but-one commit: the last commit's ~625 blocks via the rev index.</summary>
    [Benchmark]
    public long StreamRepoBlocksSince()
    {
        long bytes = 0;
        using RepoBlockCursor cursor = _store.StreamRepoBlocks(1, _lastButOneRev);
        while (cursor.MoveNext())
            bytes += cursor.Data.Length + Cid.ByteLength;
        return bytes;
    }

    /// <summary>checkAccountStatus's repoBlocks: a key-only scan of the rev index.</summary>
    [Benchmark]
    public long CountRepoBlocks() => _store.CountRepoBlocks(1);

    /// <summary>checkAccountStatus's indexedRecords: a scan of the record index.</summary>
    [Benchmark]
    public long CountRecords() => _store.CountRecords(1);

    [Benchmark(OperationsPerInvoke = EventReads)]
    public long EventRangeRead()
    {
        long sum = 0;
        using EventCursor cursor = _store.ReadEvents(Math.Max(0, _store.LastSeq - EventReads));
        for (int i = 0; i < EventReads && cursor.MoveNext(); i++)
            sum += cursor.Frame.Length;
        return sum;
    }

    [Benchmark]
    public long OpenClose()
    {
        _store.Dispose();
        _store = AlteranStore.Open(_dir);
        return _store.LastSeq;
    }
}
