using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Alteran.Net.Http;

/// <summary>
/// Caches the writable span of a <see cref="PipeWriter"/> so small writes (status line, headers) are plain copies;
/// refilling is out of line (STYLE habit 4). Call <see cref="Commit"/> before anything else touches the writer.
/// </summary>
internal ref struct BufferWriter
{
    private readonly PipeWriter _output;
    private Span<byte> _span;
    private int _buffered;

    public BufferWriter(PipeWriter output)
    {
        _output = output;
        _span = output.GetSpan();
        _buffered = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(scoped ReadOnlySpan<byte> source)
    {
        if (source.Length <= _span.Length)
        {
            source.CopyTo(_span);
            _span = _span[source.Length..];
            _buffered += source.Length;
        }
        else
        {
            WriteMultiBuffer(source);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WriteMultiBuffer(scoped ReadOnlySpan<byte> source)
    {
        while (!source.IsEmpty)
        {
            if (_span.IsEmpty)
            {
                Refill(1);
            }

            int n = Math.Min(source.Length, _span.Length);
            source[..n].CopyTo(_span);
            _span = _span[n..];
            _buffered += n;
            source = source[n..];
        }
    }

    /// <summary>Writes a non-negative decimal number.</summary>
    public void WriteNumber(long value)
    {
        if (_span.Length < 20)
        {
            Refill(20);
        }

        Utf8Formatter.TryFormat(value, _span, out int written);
        _span = _span[written..];
        _buffered += written;
    }

    /// <summary>Writes a 64-bit value as 16 lowercase hex digits.</summary>
    public void WriteHex64(ulong value)
    {
        if (_span.Length < 16)
        {
            Refill(16);
        }

        for (int i = 15; i >= 0; i--)
        {
            _span[i] = (byte)"0123456789abcdef"[(int)(value & 0xF)];
            value >>= 4;
        }

        _span = _span[16..];
        _buffered += 16;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Refill(int sizeHint)
    {
        Commit();
        _span = _output.GetSpan(sizeHint);
    }

    public void Commit()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _buffered = 0;
        }
    }
}
