using System.Buffers;
using System.IO.Pipelines;
using Alteran.Net.WebSockets;
using BenchmarkDotNet.Attributes;

namespace Alteran.Benchmarks.Net;

/// <summary>Server frame writing (header + payload into a pipe, as the connection does) and client-frame unmasking.</summary>
[MemoryDiagnoser]
public class WebSocketFrameBenchmarks
{
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0));
    private byte[] _payload = [];
    private byte[] _masked = [];

    [Params(100, 4096, 65536)]
    public int PayloadBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[PayloadBytes];
        Random.Shared.NextBytes(_payload);
        _masked = (byte[])_payload.Clone();
    }

    [Benchmark]
    public long WriteFrame()
    {
        PipeWriter writer = _pipe.Writer;
        Span<byte> header = writer.GetSpan(WebSocketFrameWriter.MaxHeaderLength);
        int n = WebSocketFrameWriter.WriteHeader(header, WebSocketOpcode.Binary, true, _payload.Length);
        writer.Advance(n);
        writer.Write(_payload);
        long written = writer.UnflushedBytes;
        writer.FlushAsync().GetAwaiter().GetResult();
        ReadResult result = _pipe.Reader.ReadAsync().GetAwaiter().GetResult();
        _pipe.Reader.AdvanceTo(result.Buffer.End);
        return written;
    }

    [Benchmark]
    public byte Unmask()
    {
        WebSocketFrameReader.Unmask(_masked, 0x12345678, 0);
        return _masked[^1];
    }
}
