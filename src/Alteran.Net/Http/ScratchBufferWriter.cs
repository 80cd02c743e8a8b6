using System.Buffers;

namespace Alteran.Net.Http;

/// <summary>Growable <see cref="IBufferWriter{T}"/> over a pooled array, reused across requests on one thread.</summary>
internal sealed class ScratchBufferWriter : IBufferWriter<byte>
{
    private const int KeepBytes = 64 * 1024;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);
    private int _written;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public void Reset() => _written = 0;

    /// <summary>Gives back a buffer that grew past what is worth keeping per thread.</summary>
    public void Trim()
    {
        if (_buffer.Length > KeepBytes)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(4096);
        }

        _written = 0;
    }

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Ensure(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written < sizeHint)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _written + sizeHint));
            _buffer.AsSpan(0, _written).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
    }
}
