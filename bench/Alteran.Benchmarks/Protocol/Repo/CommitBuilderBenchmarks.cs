using Alteran.Benchmarks.Protocol.Mst;
using Alteran.Protocol;
using Alteran.Protocol.Crypto;
using Alteran.Protocol.Repo;
using BenchmarkDotNet.Attributes;
using MstTree = Alteran.Protocol.Mst.Mst;

namespace Alteran.Benchmarks.Protocol.Repo;

/// <summary>
/// One commit with one create on a 100k-record repository read lazily from a block store: path loads (decode), the
/// insert, hashing, signing (K-256), commit encoding and the firehose covering proof.
/// </summary>
[MemoryDiagnoser]
public class CommitBuilderBenchmarks
{
    private BlockMap _store = null!;
    private Cid _data;
    private PrivateKey _key = null!;
    private Random _rng = null!;
    private readonly byte[] _record = new byte[120];

    [GlobalSetup]
    public void Setup()
    {
        var keys = MstBenchData.PostKeys(100_000, 1);
        var tree = MstTree.Create();
        for (int i = 0; i < keys.Length; i++)
            tree.Add(keys[i], MstBenchData.RecordCid(i));
        _store = new BlockMap();
        _data = tree.ComputeRoot(_store);
        _key = PrivateKey.Generate(KeyAlgorithm.K256);
        _rng = new Random(9);
        // {"text": "xxxx…"} as DAG-CBOR: map(1), text(4) "text", text(112).
        var r = _record;
        r[0] = 0xa1; r[1] = 0x64; "text"u8.CopyTo(r.AsSpan(2)); r[6] = 0x78; r[7] = 112;
        r.AsSpan(8).Fill((byte)'x');
    }

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    [Benchmark]
    public int CommitOneCreate()
    {
        string rkey = System.Text.Encoding.ASCII.GetString(MstBenchData.RandomPostKey(_rng).AsSpan("app.bsky.feed.post/".Length));
        var input = new CommitInput("did:plc:ewvi7nxzyoun6zhxrhs64oiz", _data, _store, _key, "3lzzzzzzzzzz2");
        var result = CommitBuilder.Build(input, [RepoWrite.Create("app.bsky.feed.post", rkey, _record)]);
        return result.FirehoseBlocks.Count;
    }
}
