using System.Buffers;
using System.Text.Json;
using Alteran.Protocol;
using Alteran.Protocol.Cbor;
using Alteran.Protocol.DataModel;
using BenchmarkDotNet.Attributes;

namespace Alteran.Benchmarks.Protocol.Cbor;

/// <summary>DAG-CBOR encode/decode of a typical post and a firehose #commit body; CID of a 1 KiB block.</summary>
[MemoryDiagnoser]
public class DagCborBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private byte[] _post = [];
    private byte[] _postJson = [];
    private byte[] _commit = [];
    private readonly byte[] _block1K = new byte[1024];
    private Utf8JsonWriter _json = null!;

    [GlobalSetup]
    public void Setup()
    {
        _post = SampleRecords.EncodePost();
        _postJson = DagJson.CborToJson(_post);
        _commit = SampleRecords.EncodeCommit();
        new Random(2).NextBytes(_block1K);
        _json = new Utf8JsonWriter(_buffer);
    }

    [Benchmark]
    public int EncodePost()
    {
        _buffer.ResetWrittenCount();
        var w = new DagCborWriter(_buffer);
        SampleRecords.WritePost(ref w, SampleRecords.PostText, SampleRecords.CreatedAt);
        w.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public int DecodePost() => SampleRecords.ReadPost(_post);

    [Benchmark]
    public void ValidatePost() => DagCbor.Validate(_post);

    [Benchmark]
    public int EncodeCommit()
    {
        _buffer.ResetWrittenCount();
        var w = new DagCborWriter(_buffer);
        SampleRecords.WriteCommit(ref w);
        w.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public int DecodeCommit() => SampleRecords.ReadCommit(_commit);

    [Benchmark]
    public void ValidateCommit() => DagCbor.Validate(_commit);

    [Benchmark]
    public Cid CidOf1KiBBlock() => Cid.ForDagCbor(_block1K);

    [Benchmark]
    public int PostJsonToCbor()
    {
        _buffer.ResetWrittenCount();
        DagJson.JsonToCbor(_postJson, _buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public long PostCborToJson()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        DagJson.CborToJson(_post, _json);
        _json.Flush();
        return _json.BytesCommitted;
    }
}
