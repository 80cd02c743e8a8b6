using System.Buffers;
using Alteran.Protocol;
using Alteran.Protocol.Car;
using Alteran.Protocol.Cbor;
using Alteran.Protocol.Sync;
using BenchmarkDotNet.Attributes;

namespace Alteran.Benchmarks.Protocol.Sync;

/// <summary>
/// Firehose <c>#commit</c> frames: encode once into a reused buffer (target: 0 bytes allocated), and strict decode.
/// "1 op" carries a ~1 KB blocks CAR (commit + record + MST node); "10 ops" carries ~4 KB.
/// </summary>
[MemoryDiagnoser]
public class FirehoseFrameBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private CommitEvent _commit1;
    private CommitEvent _commit10;
    private byte[] _frame1 = [];
    private byte[] _frame10 = [];

    private static byte[] Block(Random rng, int size)
    {
        var payload = new byte[size];
        rng.NextBytes(payload);
        var buffer = new ArrayBufferWriter<byte>();
        var w = new DagCborWriter(buffer);
        w.WriteMapHeader(1);
        w.WriteText("data"u8);
        w.WriteBytes(payload);
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static CommitEvent MakeCommit(int ops, int blockBytes, int seed)
    {
        var rng = new Random(seed);
        byte[] commitBlock = Block(rng, 150);
        Cid commit = Cid.ForDagCbor(commitBlock);
        var car = new ArrayBufferWriter<byte>();
        var writer = new CarWriter(car);
        writer.WriteHeader([commit]);
        writer.WriteBlock(commit, commitBlock);
        var list = new RepoOpRef[ops];
        for (int i = 0; i < ops; i++)
        {
            byte[] record = Block(rng, blockBytes);
            Cid cid = Cid.ForDagCbor(record);
            writer.WriteBlock(cid, record);
            list[i] = i % 2 == 0
                ? RepoOpRef.Create($"app.bsky.feed.post/3l3qo2vutsw{i:D2}", cid)
                : RepoOpRef.Update($"app.bsky.feed.like/3l3qo2vutsw{i:D2}", cid, Cid.ForDagCbor(Block(rng, 16)));
        }
        byte[] node = Block(rng, 200);
        writer.WriteBlock(Cid.ForDagCbor(node), node);
        return new CommitEvent
        {
            Repo = "did:plc:ewvi7nxzyoun6zhxrhs64oiz",
            Commit = commit,
            Rev = "3l3qo2vutsw2b",
            Since = "3l3qo2vuowo2b",
            Blocks = car.WrittenSpan.ToArray(),
            Ops = list,
            PrevData = Cid.ForDagCbor(node),
            Time = new DateTimeOffset(2024, 1, 2, 3, 4, 5, 678, TimeSpan.Zero),
        };
    }

    [GlobalSetup]
    public void Setup()
    {
        _commit1 = MakeCommit(1, 600, 1);
        _commit10 = MakeCommit(10, 300, 2);
        _buffer.ResetWrittenCount();
        _commit1.WriteFrame(1, _buffer);
        _frame1 = _buffer.WrittenSpan.ToArray();
        _buffer.ResetWrittenCount();
        _commit10.WriteFrame(1, _buffer);
        _frame10 = _buffer.WrittenSpan.ToArray();
    }

    [Benchmark]
    public int EncodeCommit1Op()
    {
        _buffer.ResetWrittenCount();
        return _commit1.WriteFrame(123_456_789, _buffer);
    }

    [Benchmark]
    public int EncodeCommit10Ops()
    {
        _buffer.ResetWrittenCount();
        return _commit10.WriteFrame(123_456_789, _buffer);
    }

    [Benchmark]
    public long DecodeCommit1Op() => FirehoseFrame.Decode(_frame1).Commit!.Seq;

    [Benchmark]
    public long DecodeCommit10Ops() => FirehoseFrame.Decode(_frame10).Commit!.Seq;

    [Benchmark]
    public long DecodeCommit10OpsLenient() => FirehoseFrame.Decode(_frame10, FirehoseDecodeMode.Lenient).Commit!.Seq;
}
