using Alteran.Net.Repo;
using Alteran.Protocol.Crypto;
using Alteran.Protocol.Syntax;
using Alteran.Storage;
using BenchmarkDotNet.Attributes;

namespace Alteran.Benchmarks.Net.Repo;

/// <summary>
/// createRecord-equivalent commits (one write each, durable: WAL fsynced) through <see cref="RepoService"/>:
/// MST edit, signing, #commit encoding, atomic batch. <see cref="Writers"/> concurrent writers, each on its own repo
/// (<see cref="SameRepo"/> false: group commits share fsyncs) or all on one repo (serialised by the repo lock).
/// Ops/s = 1 / mean.
/// </summary>
[MemoryDiagnoser]
public class RepoWriteBenchmarks
{
    private const int CommitsPerInvoke = 256;
    private string _dir = "";
    private AlteranStore _store = null!;
    private RepoService _service = null!;
    private (long Account, PrivateKey Key)[] _repos = [];
    private long _counter;

    [Params(1, 16)]
    public int Writers { get; set; }

    [Params(false, true)]
    public bool SameRepo { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = RepoBench.NewDirectory();
        _store = AlteranStore.Open(_dir);
        _service = new RepoService(_store);
        int repos = SameRepo ? 1 : Writers;
        _repos = new (long, PrivateKey)[repos];
        for (int i = 0; i < repos; i++)
            _repos[i] = RepoBench.CreateRepoAsync(_store, _service, i).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        RepoBench.Delete(_dir);
    }

    [Benchmark(OperationsPerInvoke = CommitsPerInvoke)]
    public void CreateRecord()
    {
        int per = CommitsPerInvoke / Writers;
        var tasks = new Task[Writers];
        for (int w = 0; w < Writers; w++)
        {
            var (account, key) = _repos[SameRepo ? 0 : w];
            tasks[w] = Task.Run(async () =>
            {
                for (int i = 0; i < per; i++)
                {
                    long n = Interlocked.Increment(ref _counter);
                    string rkey = Tid.FromTimestamp(1_700_000_000_000_000 + n, 7).ToString();
                    await _service.ApplyWritesAsync(account, key, [RepoWriteOp.Create("app.bsky.feed.post", rkey, RepoBench.Post(n))]).ConfigureAwait(false);
                }
            });
        }
        Task.WaitAll(tasks);
    }
}
