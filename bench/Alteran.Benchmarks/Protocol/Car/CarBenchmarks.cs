using System.Buffers;
using Alteran.Benchmarks.Protocol.Cbor;
using Alteran.Protocol;
using Alteran.Protocol.Car;
using BenchmarkDotNet.Attributes;

namespace Alteran.Benchmarks.Protocol.Car;

/// <summary>
/// CAR v1 write and read (SHA-256 verified) of 10,000 post-record blocks (~3 MB). Throughput in MB/s is
/// <c>CarBytes / Mean</c>; the size is printed at setup.
/// </summary>
[MemoryDiagnoser]
public class CarBenchmarks
{
    private const int BlockCount = 10_000;
    private (Cid Cid, byte[] Data)[] _blocks = [];
    private byte[] _car = [];
    private ReadOnlySequence<byte> _segmented;
    private readonly ArrayBufferWriter<byte> _buffer = new(4 * 1024 * 1024);

    [GlobalSetup]
    public void Setup()
    {
        _blocks = new (Cid, byte[])[BlockCount];
        for (int i = 0; i < BlockCount; i++)
        {
            byte[] data = SampleRecords.EncodePost(SampleRecords.PostText + " #" + i);
            _blocks[i] = (Cid.ForDagCbor(data), data);
        }
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new CarWriter(buffer);
        writer.WriteHeader([_blocks[0].Cid]);
        foreach (var (cid, data) in _blocks)
            writer.WriteBlock(cid, data);
        _car = buffer.WrittenSpan.ToArray();
        _segmented = Segmented(_car, 4096);
        Console.WriteLine($"// CAR size: {_car.Length} bytes, {BlockCount} blocks");
    }

    [Benchmark]
    public long Write()
    {
        _buffer.ResetWrittenCount();
        var writer = new CarWriter(_buffer);
        writer.WriteHeader([_blocks[0].Cid]);
        foreach (var (cid, data) in _blocks)
            writer.WriteBlock(cid, data);
        return writer.BytesWritten;
    }

    [Benchmark]
    public int ReadSpanVerified()
    {
        var reader = new CarSpanReader(_car);
        int n = 0;
        while (reader.TryReadBlock(out _, out ReadOnlySpan<byte> data))
            n += data.Length;
        return n;
    }

    /// <summary>Incremental reader over 4 KiB segments, as from a PipeReader.</summary>
    [Benchmark]
    public long ReadSequenceVerified()
    {
        var car = new CarReader();
        var reader = new SequenceReader<byte>(_segmented);
        car.TryReadHeader(ref reader, out _);
        long n = 0;
        while (car.TryReadBlock(ref reader, out _, out ReadOnlySequence<byte> data))
            n += data.Length;
        car.EnsureComplete(in reader);
        return n;
    }

    private static ReadOnlySequence<byte> Segmented(byte[] data, int size)
    {
        var first = new Segment(data.AsMemory(0, Math.Min(size, data.Length)), 0);
        Segment last = first;
        for (int i = size; i < data.Length; i += size)
            last = last.Append(data.AsMemory(i, Math.Min(size, data.Length - i)));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
