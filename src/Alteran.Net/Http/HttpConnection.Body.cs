using System.Buffers;
using System.IO.Pipelines;

namespace Alteran.Net.Http;

internal sealed partial class HttpConnection
{
    /// <summary>Copies the next body bytes into <paramref name="destination"/>; 0 when the body is complete.</summary>
    internal async ValueTask<int> ReadBodyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (_bodyDone || destination.IsEmpty)
        {
            return 0;
        }

        if (_request.ContentLength > _context.MaxRequestBodySize)
        {
            throw BadHttpRequestException.Create(RequestRejectionReason.BodyTooLarge);
        }

        if (_request.ExpectContinue && !_sent100)
        {
            _sent100 = true;
            _output.Write(ReasonPhrases.StatusLine(100));
            _output.Write("\r\n"u8);
            await FlushOutputAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_bodyStartMs == 0)
        {
            Volatile.Write(ref _bodyStartMs, Environment.TickCount64);
        }

        while (true)
        {
            if (!_input.TryRead(out ReadResult result))
            {
                _phase = (int)Phase.Body;
                try
                {
                    result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _phase = (int)Phase.Handling;
                }
            }

            if (result.IsCanceled)
            {
                _input.AdvanceTo(result.Buffer.Start);
                var reason = (TimeoutReason)Interlocked.Exchange(ref _timeoutReason, 0);
                if (reason == TimeoutReason.Body)
                {
                    throw BadHttpRequestException.Create(RequestRejectionReason.BodyTimeout);
                }

                continue;
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            int copied = _request.IsChunked
                ? CopyChunked(buffer, destination.Span, result.IsCompleted)
                : CopyFixed(buffer, destination.Span, result.IsCompleted);
            if (copied > 0 || _bodyDone)
            {
                return copied;
            }
        }
    }

    private int CopyFixed(ReadOnlySequence<byte> buffer, Span<byte> destination, bool isCompleted)
    {
        if (buffer.IsEmpty)
        {
            _input.AdvanceTo(buffer.End);
            if (isCompleted)
            {
                throw BadHttpRequestException.Create(RequestRejectionReason.UnexpectedEndOfBody);
            }

            return 0;
        }

        int n = (int)Math.Min(Math.Min(buffer.Length, _bodyRemaining), destination.Length);
        buffer.Slice(0, n).CopyTo(destination);
        _input.AdvanceTo(buffer.GetPosition(n));
        _bodyRemaining -= n;
        Volatile.Write(ref _bodyReceived, _bodyReceived + n);
        _bodyDone = _bodyRemaining == 0;
        return n;
    }

    private int CopyChunked(ReadOnlySequence<byte> buffer, Span<byte> destination, bool isCompleted)
    {
        var reader = new SequenceReader<byte>(buffer);
        int total = 0;
        try
        {
            while (total < destination.Length && !_chunked.IsComplete)
            {
                if (!_chunked.TryRead(ref reader, destination.Length - total, out ReadOnlySequence<byte> data))
                {
                    break;
                }

                if (data.Length > 0)
                {
                    if (_bodyReceived + data.Length > _context.MaxRequestBodySize)
                    {
                        throw BadHttpRequestException.Create(RequestRejectionReason.BodyTooLarge);
                    }

                    data.CopyTo(destination[total..]);
                    total += (int)data.Length;
                    Volatile.Write(ref _bodyReceived, _bodyReceived + data.Length);
                }
            }
        }
        catch (BadHttpRequestException)
        {
            _input.AdvanceTo(reader.Position, buffer.End);
            throw;
        }

        _bodyDone = _chunked.IsComplete;
        if (total > 0 || _bodyDone)
        {
            _input.AdvanceTo(reader.Position);
        }
        else
        {
            _input.AdvanceTo(reader.Position, buffer.End);
            if (isCompleted)
            {
                throw BadHttpRequestException.Create(RequestRejectionReason.UnexpectedEndOfBody);
            }
        }

        return total;
    }

    /// <summary>Reads the whole body into one pooled buffer owned by the request.</summary>
    internal async ValueTask<ReadOnlyMemory<byte>> ReadWholeBodyAsync(CancellationToken cancellationToken)
    {
        if (_bodyDone)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        long max = _context.MaxRequestBodySize;
        if (_request.ContentLength > max)
        {
            throw BadHttpRequestException.Create(RequestRejectionReason.BodyTooLarge);
        }

        // Size from the declared length only up to what is allowed; chunked bodies grow with what actually arrives.
        int initial = _request.ContentLength >= 0 ? (int)_request.ContentLength : (int)Math.Min(max, 16 * 1024);
        ReturnBodyBuffer();
        _bodyBuffer = ArrayPool<byte>.Shared.Rent(Math.Max(initial, 1));
        int length = 0;
        while (true)
        {
            if (length == _bodyBuffer.Length)
            {
                if (_bodyDone)
                {
                    break;
                }

                byte[] bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_bodyBuffer.Length * 2, max + 1));
                _bodyBuffer.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_bodyBuffer);
                _bodyBuffer = bigger;
            }

            int n = await ReadBodyAsync(_bodyBuffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            length += n;
        }

        return _bodyBuffer.AsMemory(0, length);
    }

    /// <summary>Discards an unread body so the connection can be reused, or gives up on keep-alive if it is large.</summary>
    private async ValueTask DrainBodyAsync()
    {
        if (_request.ExpectContinue && !_sent100)
        {
            // The client is still waiting for 100 Continue before it sends the body: we cannot tell where the next request starts.
            KeepAlive = false;
            _lingerOnClose = true;
            return;
        }

        if (!_request.IsChunked && _bodyRemaining > _limits.MaxDrainBytes)
        {
            KeepAlive = false;
            _lingerOnClose = true;
            return;
        }

        // Send the response first: a client may wait for it before sending (or abandoning) the rest of the body.
        await FlushOutputAsync(default).ConfigureAwait(false);
        long saved = _context.MaxRequestBodySize;
        _context.MaxRequestBodySize = _bodyReceived + _limits.MaxDrainBytes;
        byte[] scratch = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (await ReadBodyAsync(scratch, default).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (BadHttpRequestException ex) when (ex.Reason == RequestRejectionReason.BodyTooLarge)
        {
            KeepAlive = false;
            _lingerOnClose = true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
            _context.MaxRequestBodySize = saved;
        }
    }

    private void ReturnBodyBuffer()
    {
        if (_bodyBuffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_bodyBuffer);
            _bodyBuffer = null;
        }
    }
}
