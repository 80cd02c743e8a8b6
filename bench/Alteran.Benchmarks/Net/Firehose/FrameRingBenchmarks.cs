using Alteran.Net.Firehose;
using BenchmarkDotNet.Attributes;

namespace Alteran.Benchmarks.Net.Firehose;

/// <summary>
/// The firehose ring's hot path: one writer publishes a batch of pre-encoded frames, then N readers (each at its own
/// position) read every new frame. Reported per event; allocations must be 0 per event per reader.
/// </summary>
[MemoryDiagnoser]
public class FrameRingBenchmarks
{
    private const int Batch = 1024;
    private FrameRing _ring = null!;
    private byte[][] _frames = [];
    private long[] _positions = [];
    private long _seq;

    [Params(1, 16, 256)]
    public int Readers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _ring = new FrameRing(65_536, 256L << 20);
        _frames = new byte[Batch][];
        for (int i = 0; i < Batch; i++)
            _frames[i] = new byte[600]; // a typical small #commit
        _positions = new long[Readers];
        _positions.AsSpan().Fill(1);
        _seq = 0;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long PublishThenReadAll()
    {
        for (int i = 0; i < Batch; i++)
            _ring.Publish(++_seq, _frames[i]);
        long bytes = 0;
        for (int r = 0; r < _positions.Length; r++)
        {
            long next = _positions[r];
            while (_ring.TryRead(next, out byte[]? frame) == RingReadStatus.Ok)
            {
                bytes += frame!.Length;
                next++;
            }
            _positions[r] = next;
        }
        return bytes;
    }
}
