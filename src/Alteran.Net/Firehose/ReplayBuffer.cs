using System.Buffers;

namespace Alteran.Net.Firehose;

/// <summary>
/// One subscriber's reusable batch of frames copied out of the event log (the log iterator is closed before sending,
/// so no RocksDB iterator is held across a slow client). Pooled, grown on demand, returned on dispose.
/// </summary>
internal sealed class ReplayBuffer(int capacity) : IDisposable
{
    private readonly long[] _seqs = new long[capacity];
    private readonly int[] _ends = new int[capacity];
    private byte[] _bytes = [];

    public int Capacity => _seqs.Length;

    public int Count { get; private set; }

    public int Bytes => Count == 0 ? 0 : _ends[Count - 1];

    public void Clear() => Count = 0;

    public void Add(long seq, ReadOnlySpan<byte> frame)
    {
        int start = Bytes;
        if (_bytes.Length - start < frame.Length)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(start + frame.Length, Math.Max(64 * 1024, _bytes.Length * 2)));
            _bytes.AsSpan(0, start).CopyTo(bigger);
            Return();
            _bytes = bigger;
        }
        frame.CopyTo(_bytes.AsSpan(start));
        _seqs[Count] = seq;
        _ends[Count] = start + frame.Length;
        Count++;
    }

    public long Seq(int i) => _seqs[i];

    public ReadOnlyMemory<byte> Frame(int i)
    {
        int start = i == 0 ? 0 : _ends[i - 1];
        return _bytes.AsMemory(start, _ends[i] - start);
    }

    private void Return()
    {
        if (_bytes.Length > 0)
            ArrayPool<byte>.Shared.Return(_bytes);
        _bytes = [];
    }

    public void Dispose()
    {
        Return();
        Count = 0;
    }
}
