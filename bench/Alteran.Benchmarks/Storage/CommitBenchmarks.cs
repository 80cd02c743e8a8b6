using Alteran.Protocol;
using Alteran.Storage;
using Alteran.Storage.Repos;
using BenchmarkDotNet.Attributes;

namespace Alteran.Benchmarks.Storage;

/// <summary>
/// Durable commits (WAL fsynced) per second: <see cref="Writers"/> concurrent writers, each with its own repo,
/// applying realistic commits. The group-commit writer folds concurrent commits into one fsync.
/// Ops/s = 1 / mean (each operation is one commit).
/// </summary>
[MemoryDiagnoser]
public class CommitBenchmarks
{
    private const int CommitsPerInvoke = 512;
    private string _dir = "";
    private AlteranStore _store = null!;
    private Cid[] _previous = [];
    private long _counter;

    [Params(1, 16)]
    public int Writers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = StorageBench.NewDirectory();
        _store = AlteranStore.Open(_dir);
        _previous = new Cid[Writers + 1];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        StorageBench.Delete(_dir);
    }

    [Benchmark(OperationsPerInvoke = CommitsPerInvoke)]
    public void ApplyCommit()
    {
        int per = CommitsPerInvoke / Writers;
        var tasks = new Task[Writers];
        for (int w = 0; w < Writers; w++)
        {
            int writer = w + 1;
            tasks[w] = Task.Run(async () =>
            {
                var random = new Random(writer);
                for (int i = 0; i < per; i++)
                {
                    long n = Interlocked.Increment(ref _counter);
                    PreparedCommit c = StorageBench.RealisticCommit(writer, n, random, ref _previous[writer]);
                    await _store.ApplyCommitAsync(c).ConfigureAwait(false);
                }
            });
        }
        Task.WaitAll(tasks);
    }
}
