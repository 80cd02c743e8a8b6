using System.Buffers;

namespace Alteran.Storage.Log;

/// <summary>
/// A reusable growable buffer (pooled array) for one encoded event. The store writes its 16-byte log header first,
/// then the <see cref="IEventEncoder"/> appends the frame; <see cref="Frame"/> is the frame alone, exactly the bytes
/// stored in the event log, ready to fan out to firehose subscribers once the write has been acknowledged.
/// </summary>
public sealed class EventBuffer : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer;
    private int _written;
    private int _frameStart;

    /// <summary>Creates a buffer with an initial capacity.</summary>
    public EventBuffer(int initialCapacity = 4096) => _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(64, initialCapacity));

    /// <summary>The encoded frame (after the log header).</summary>
    public ReadOnlyMemory<byte> Frame => _buffer.AsMemory(_frameStart, _written - _frameStart);

    /// <summary>Header + frame: the event-log value.</summary>
    internal ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    /// <summary>Clears the buffer and reserves <paramref name="headerLength"/> bytes returned for the caller to fill.</summary>
    internal Span<byte> ResetWithHeader(int headerLength)
    {
        _written = 0;
        _frameStart = headerLength;
        Span<byte> header = GetSpan(headerLength)[..headerLength];
        _written = headerLength;
        return header;
    }

    /// <summary>Forgets the content (keeps the array).</summary>
    public void Clear() => _written = _frameStart = 0;

    /// <inheritdoc/>
    public void Advance(int count)
    {
        if ((uint)count > (uint)(_buffer.Length - _written))
            throw new ArgumentOutOfRangeException(nameof(count));
        _written += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Ensure(int sizeHint)
    {
        if (sizeHint < 1) sizeHint = 1;
        if (_buffer.Length - _written >= sizeHint) return;
        int size = Math.Max(_buffer.Length * 2, _written + sizeHint);
        byte[] next = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _written).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = next;
    }

    /// <summary>Returns the array to the pool.</summary>
    public void Dispose()
    {
        byte[] b = _buffer;
        _buffer = [];
        _written = _frameStart = 0;
        if (b.Length > 0) ArrayPool<byte>.Shared.Return(b);
    }
}
