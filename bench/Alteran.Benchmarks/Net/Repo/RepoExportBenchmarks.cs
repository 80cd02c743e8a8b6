using System.Buffers;
using Alteran.Net.Repo;
using Alteran.Protocol.Syntax;
using Alteran.Storage;
using BenchmarkDotNet.Attributes;

namespace Alteran.Benchmarks.Net.Repo;

/// <summary>
/// Whole-repo CAR export (<c>getRepo</c>) of a 10,000-record repo into a reused buffer. MB/s = <see cref="CarBytes"/>
/// (printed at setup) / mean.
/// </summary>
[MemoryDiagnoser]
public class RepoExportBenchmarks
{
    private string _dir = "";
    private AlteranStore _store = null!;
    private RepoService _service = null!;
    private long _account;
    private readonly ArrayBufferWriter<byte> _output = new(4 << 20);

    /// <summary>Size of the exported CAR.</summary>
    public static long CarBytes { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = RepoBench.NewDirectory();
        _store = AlteranStore.Open(_dir);
        _service = new RepoService(_store);
        var (account, key) = RepoBench.CreateRepoAsync(_store, _service, 1).GetAwaiter().GetResult();
        _account = account;
        var batch = new List<RepoWriteOp>(200);
        for (int i = 0; i < 10_000; i++)
        {
            batch.Add(RepoWriteOp.Create("app.bsky.feed.post", Tid.FromTimestamp(1_700_000_000_000_000 + i * 1000L, 3).ToString(), RepoBench.Post(i)));
            if (batch.Count == 200)
            {
                _service.ApplyWritesAsync(account, key, batch).GetAwaiter().GetResult();
                batch.Clear();
            }
        }
        _output.ResetWrittenCount();
        _service.ExportRepo(_account, _output);
        CarBytes = _output.WrittenCount;
        Console.WriteLine($"// export CAR: {CarBytes} bytes");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        RepoBench.Delete(_dir);
    }

    [Benchmark]
    public long Export()
    {
        _output.ResetWrittenCount();
        _service.ExportRepo(_account, _output);
        return _output.WrittenCount;
    }
}
