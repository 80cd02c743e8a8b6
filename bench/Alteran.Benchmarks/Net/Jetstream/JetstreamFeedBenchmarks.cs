using System.Buffers;
using System.Text;
using Alteran.Net.Jetstream;
using Alteran.Protocol;
using Alteran.Protocol.Car;
using Alteran.Protocol.DataModel;
using Alteran.Protocol.Sync;
using BenchmarkDotNet.Attributes;

namespace Alteran.Benchmarks.Net.Jetstream;

/// <summary>
/// What the Jetstream feed pays per firehose event, once for all subscribers: decode a stored <c>#commit</c> frame
/// (one post create), find the record in its CAR, write the JSON event, and with compression also the zstd frame.
/// </summary>
[MemoryDiagnoser]
public class JetstreamFeedBenchmarks
{
    private byte[] _frame = [];
    private JetstreamFrameConverter _converter = null!;

    [GlobalSetup]
    public void Setup()
    {
        byte[] record = DagJson.JsonToCbor(Encoding.UTF8.GetBytes(
            """{"$type":"app.bsky.feed.post","text":"Morning all ☀️ did you see the new Jetstream numbers? 🚀","langs":["en"],"createdAt":"2024-09-09T19:46:02.102Z"}"""));
        Cid recordCid = Cid.ForDagCbor(record);
        byte[] commitBlock = DagJson.JsonToCbor(Encoding.UTF8.GetBytes("""{"did":"did:plc:ewvi7nxzyoun6zhxrhs64oiz","rev":"3l3qo2vutsw2b","version":3}"""));
        Cid commitCid = Cid.ForDagCbor(commitBlock);
        var car = new ArrayBufferWriter<byte>();
        var writer = new CarWriter(car);
        writer.WriteHeader([commitCid]);
        writer.WriteBlock(commitCid, commitBlock);
        writer.WriteBlock(recordCid, record);
        var frame = new ArrayBufferWriter<byte>();
        new CommitEvent
        {
            Repo = "did:plc:ewvi7nxzyoun6zhxrhs64oiz",
            Commit = commitCid,
            Rev = "3l3qo2vutsw2b",
            Since = "3l3qo2vutsw2a",
            Blocks = car.WrittenMemory,
            Ops = new[] { RepoOpRef.Create("app.bsky.feed.post/3l3qo2vuowo2b", recordCid) },
            PrevData = recordCid,
            Time = DateTimeOffset.UtcNow,
        }.WriteFrame(1, frame);
        _frame = frame.WrittenSpan.ToArray();
        _converter = new JetstreamFrameConverter();
        if (_converter.Convert(1, _frame, false).EventList.Count != 1)
            throw new InvalidOperationException("The benchmark frame did not convert.");
    }

    [Benchmark(Baseline = true)]
    public int ConvertJson() => _converter.Convert(1, _frame, compress: false).Bytes;

    [Benchmark]
    public int ConvertJsonAndZstd() => _converter.Convert(1, _frame, compress: true).Bytes;

    [GlobalCleanup]
    public void Cleanup() => _converter.Dispose();
}
