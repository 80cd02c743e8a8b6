using System.Buffers;
using System.Buffers.Text;

namespace Alteran.Net.Http;

/// <summary>
/// Streams a response body (CAR export, blobs). Each <see cref="WriteAsync"/> is buffered until about 64 KiB are
/// pending, then flushed to the socket and awaited, so a slow client slows the producer instead of growing memory.
/// Chunked framing is added when no Content-Length was declared. Call <see cref="CompleteAsync"/> at the end
/// (the server does so if the handler forgets).
/// </summary>
public sealed class ResponseBodyWriter
{
    private const int FlushThreshold = 64 * 1024;
    private readonly HttpConnection _connection;
    private bool _chunked;
    private bool _suppress;
    private long _remaining;
    private int _unflushed;

    internal ResponseBodyWriter(HttpConnection connection) => _connection = connection;

    /// <summary>True after <see cref="CompleteAsync"/>.</summary>
    public bool IsCompleted { get; private set; }

    internal void Start(long contentLength, bool suppressBody, bool chunked)
    {
        _chunked = chunked;
        _remaining = contentLength;
        _suppress = suppressBody;
        _unflushed = 0;
        IsCompleted = false;
    }

    /// <summary>Writes <paramref name="data"/>; waits for the socket when enough is pending.</summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        if (IsCompleted)
        {
            throw new InvalidOperationException("The response body is complete.");
        }

        if (data.IsEmpty || _suppress)
        {
            return ValueTask.CompletedTask;
        }

        if (!_chunked)
        {
            if (_remaining >= 0 && data.Length > _remaining)
            {
                _connection.Abort();
                throw new InvalidOperationException("Response body longer than its Content-Length.");
            }

            _remaining -= data.Length;
            _connection.Output.Write(data.Span);
        }
        else
        {
            Span<byte> head = _connection.Output.GetSpan(18);
            Utf8Formatter.TryFormat((uint)data.Length, head, out int n, new StandardFormat('x'));
            head[n] = (byte)'\r';
            head[n + 1] = (byte)'\n';
            _connection.Output.Advance(n + 2);
            _connection.Output.Write(data.Span);
            _connection.Output.Write("\r\n"u8);
        }

        _unflushed += data.Length;
        if (_unflushed >= FlushThreshold)
        {
            _unflushed = 0;
            return _connection.FlushOutputAsync(cancellationToken);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Sends what is pending and waits for the socket to take it.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        _unflushed = 0;
        return _connection.FlushOutputAsync(cancellationToken);
    }

    /// <summary>Ends the body (the last chunk for chunked bodies) and flushes.</summary>
    public ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (IsCompleted)
        {
            return ValueTask.CompletedTask;
        }

        IsCompleted = true;
        if (!_suppress)
        {
            if (_chunked)
            {
                _connection.Output.Write("0\r\n\r\n"u8);
            }
            else if (_remaining > 0)
            {
                // Shorter than declared: the client would wait for bytes that never come.
                _connection.Abort();
                throw new InvalidOperationException("Response body shorter than its Content-Length.");
            }
        }

        return FlushAsync(cancellationToken);
    }
}
