using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;
using System.Text.Unicode;
using Alteran.Net.Hosting;
using Alteran.Net.Http;

namespace Alteran.Net.WebSockets;

/// <summary>
/// A server-side WebSocket (RFC 6455) on an upgraded connection.
/// <para>
/// Sending: <see cref="SendAsync"/> writes one unfragmented frame and waits until the socket has taken it, so a
/// slow client slows its sender. <see cref="PendingSends"/> and <see cref="CurrentSendMilliseconds"/> expose that
/// backpressure so a broadcaster (the firehose) can drop consumers that fall behind; a send stalled longer than
/// the server's send timeout aborts the connection.
/// </para>
/// <para>
/// Receiving runs in the background: pings are answered, pongs recorded, fragmented data messages reassembled up
/// to <see cref="WebSocketOptions.MaxInboundMessageBytes"/> and handed to <see cref="MessageReceived"/>, and a
/// close frame is answered. Protocol violations close with 1002/1007/1009. After
/// <see cref="WebSocketOptions.PingInterval"/> without outbound traffic a ping is sent; no pong within
/// <see cref="WebSocketOptions.PongTimeout"/> aborts the connection.
/// </para>
/// </summary>
public sealed class WebSocketConnection : IAsyncDisposable
{
    private readonly HttpConnection _connection;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly WebSocketOptions _options;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _closed = new();
    private readonly TaskCompletionSource _closedTcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _receiveLoop;
    private int _pendingSends;
    private long _sendStartedMs;
    private long _lastSendMs;
    private long _pingSentMs;
    private int _closeSent;
    private int _state;
    private int _maxInboundMessageBytes;

    // Reassembly of a fragmented data message.
    private byte[]? _message;
    private int _messageLength;
    private WebSocketOpcode _messageOpcode;
    private bool _inMessage;

    internal WebSocketConnection(HttpConnection connection, PipeReader input, PipeWriter output, WebSocketOptions options)
    {
        _connection = connection;
        _input = input;
        _output = output;
        _options = options;
        _maxInboundMessageBytes = options.MaxInboundMessageBytes;
        _lastSendMs = Environment.TickCount64;
    }

    /// <summary>
    /// Largest inbound data message for this connection (default <see cref="WebSocketOptions.MaxInboundMessageBytes"/>).
    /// Set it in the accept callback, before the receive loop starts.
    /// </summary>
    public int MaxInboundMessageBytes
    {
        get => _maxInboundMessageBytes;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxInboundMessageBytes = value;
        }
    }

    /// <summary>Called with each complete inbound data message (payload valid only during the call).</summary>
    public Action<WebSocketOpcode, ReadOnlyMemory<byte>>? MessageReceived { get; set; }

    /// <summary>Cancelled once the connection is closing or closed; subscription loops should stop on it.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Completes when the close handshake (or an abort) has ended the connection.</summary>
    public Task Completion => _closedTcs.Task;

    /// <summary>True until a close frame has been sent or received, or the connection failed.</summary>
    public bool IsOpen => Volatile.Read(ref _state) == 0;

    /// <summary>Close code received from the client, if any.</summary>
    public WebSocketCloseStatus? CloseStatusReceived { get; private set; }

    /// <summary>Sends queued or in flight: more than one means the client is not keeping up.</summary>
    public int PendingSends => Volatile.Read(ref _pendingSends);

    /// <summary>How long the current send has waited for the socket (0 when none is in flight).</summary>
    public long CurrentSendMilliseconds
    {
        get
        {
            long started = Volatile.Read(ref _sendStartedMs);
            return started == 0 ? 0 : Environment.TickCount64 - started;
        }
    }

    internal void Start() => _receiveLoop = ReceiveLoopAsync();

    /// <summary>Sends one binary message as a single frame and waits for the socket to accept it.</summary>
    public ValueTask SendBinaryAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
        => SendAsync(WebSocketOpcode.Binary, payload, cancellationToken);

    /// <summary>Sends one text message (UTF-8 bytes) as a single frame.</summary>
    public ValueTask SendTextAsync(ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken = default)
        => SendAsync(WebSocketOpcode.Text, utf8, cancellationToken);

    /// <summary>Sends one unfragmented frame. Throws <see cref="InvalidOperationException"/> once closing.</summary>
    public async ValueTask SendAsync(WebSocketOpcode opcode, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        if (opcode is WebSocketOpcode.Close)
        {
            throw new ArgumentException("Use CloseAsync to close.", nameof(opcode));
        }

        if (payload.Length > _options.MaxOutboundMessageBytes)
        {
            throw new ArgumentException($"Message of {payload.Length} bytes exceeds the {_options.MaxOutboundMessageBytes}-byte frame limit.", nameof(payload));
        }

        if (!IsOpen && opcode is not (WebSocketOpcode.Pong or WebSocketOpcode.Ping))
        {
            throw new InvalidOperationException("The WebSocket is closing.");
        }

        Interlocked.Increment(ref _pendingSends);
        try
        {
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await WriteFrameAsync(opcode, payload, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _pendingSends);
        }
    }

    /// <summary>
    /// Starts a burst of buffered writes if no other send holds the connection and it is open; false otherwise
    /// (send normally). Between this and <see cref="EndWrites"/> (always call it, in a finally) the caller owns
    /// the output: it calls <see cref="WriteBuffered"/> for every frame it already has, then <see cref="FlushAsync"/>
    /// once, so a burst costs one socket write. Pings and pongs wait for <see cref="EndWrites"/>.
    /// </summary>
    public bool TryBeginWrites() => IsOpen && _sendLock.Wait(0);

    /// <summary>Buffers one unfragmented data frame (only between <see cref="TryBeginWrites"/> and <see cref="EndWrites"/>).</summary>
    public void WriteBuffered(WebSocketOpcode opcode, ReadOnlySpan<byte> payload)
    {
        if (opcode is not (WebSocketOpcode.Text or WebSocketOpcode.Binary))
        {
            throw new ArgumentException("Only data frames can be buffered.", nameof(opcode));
        }

        if (payload.Length > _options.MaxOutboundMessageBytes)
        {
            throw new ArgumentException($"Message of {payload.Length} bytes exceeds the {_options.MaxOutboundMessageBytes}-byte frame limit.", nameof(payload));
        }

        Span<byte> header = _output.GetSpan(WebSocketFrameWriter.MaxHeaderLength);
        int n = WebSocketFrameWriter.WriteHeader(header, opcode, fin: true, payload.Length);
        _output.Advance(n);
        _output.Write(payload);
        Volatile.Write(ref _lastSendMs, Environment.TickCount64);
    }

    /// <summary>Ends a burst started by <see cref="TryBeginWrites"/>.</summary>
    public void EndWrites() => _sendLock.Release();

    /// <summary>
    /// <see cref="FlushAsync"/> for stream senders: false instead of an exception when the connection is gone or
    /// closing (the sender then just stops).
    /// </summary>
    public async ValueTask<bool> TryFlushAsync()
    {
        try
        {
            await FlushAsync().ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>Sends what <see cref="WriteBuffered"/> buffered and waits until the socket has taken it.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _pendingSends);
        try
        {
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                Volatile.Write(ref _sendStartedMs, Environment.TickCount64);
                ValueTask flush = _connection.FlushOutputAsync(cancellationToken);
                if (flush.IsCompletedSuccessfully)
                {
                    Volatile.Write(ref _sendStartedMs, 0);
                }
                else
                {
                    await AwaitSendAsync(flush).ConfigureAwait(false);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _pendingSends);
        }
    }

    private ValueTask WriteFrameAsync(WebSocketOpcode opcode, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        Span<byte> header = _output.GetSpan(WebSocketFrameWriter.MaxHeaderLength);
        int n = WebSocketFrameWriter.WriteHeader(header, opcode, fin: true, payload.Length);
        _output.Advance(n);
        _output.Write(payload.Span);
        long now = Environment.TickCount64;
        Volatile.Write(ref _lastSendMs, now);
        Volatile.Write(ref _sendStartedMs, now);
        ValueTask flush = _connection.FlushOutputAsync(cancellationToken);
        if (flush.IsCompletedSuccessfully)
        {
            Volatile.Write(ref _sendStartedMs, 0);
            return ValueTask.CompletedTask;
        }

        return AwaitSendAsync(flush);
    }

    private async ValueTask AwaitSendAsync(ValueTask flush)
    {
        try
        {
            await flush.ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _sendStartedMs, 0);
        }
    }

    /// <summary>Starts the close handshake with <paramref name="status"/> and waits (bounded) for the client's reply.</summary>
    public async ValueTask CloseAsync(WebSocketCloseStatus status, string? reason = null, CancellationToken cancellationToken = default)
    {
        await SendCloseAsync(status, reason).ConfigureAwait(false);
        Task receive = _receiveLoop ?? Task.CompletedTask;
        if (await Task.WhenAny(receive, Task.Delay(_options.CloseTimeout, cancellationToken)).ConfigureAwait(false) != receive)
        {
            _connection.Abort();
        }
    }

    private async ValueTask SendCloseAsync(WebSocketCloseStatus status, string? reason)
    {
        if (Interlocked.Exchange(ref _closeSent, 1) != 0)
        {
            return;
        }

        Interlocked.CompareExchange(ref _state, 1, 0);
        CancelClosed();
        byte[] payload = new byte[2 + Math.Min(Encoding.UTF8.GetByteCount(reason ?? string.Empty), 123)];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)status);
        if (!string.IsNullOrEmpty(reason))
        {
            Encoding.UTF8.TryGetBytes(reason.AsSpan(0, Math.Min(reason.Length, 123)), payload.AsSpan(2), out _);
        }

        try
        {
            using var cts = new CancellationTokenSource(_options.CloseTimeout);
            await _sendLock.WaitAsync(cts.Token).ConfigureAwait(false);
            try
            {
                Span<byte> header = _output.GetSpan(WebSocketFrameWriter.MaxHeaderLength);
                int n = WebSocketFrameWriter.WriteHeader(header, WebSocketOpcode.Close, fin: true, payload.Length);
                _output.Advance(n);
                _output.Write(payload);
                await _connection.FlushOutputAsync(cts.Token).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            _connection.Abort();
        }
    }

    /// <summary>Asks the client to go away (server shutdown).</summary>
    internal void BeginShutdown() => _ = CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "Server shutting down").AsTask();

    internal void OnHeartbeat(long nowMs)
    {
        long pingSent = Volatile.Read(ref _pingSentMs);
        if (pingSent != 0)
        {
            if (nowMs - pingSent > (long)_options.PongTimeout.TotalMilliseconds)
            {
                Log.WebSocketPongTimeout(_connection.Server.Logger, _connection.Id);
                _connection.Abort();
            }

            return;
        }

        if (IsOpen && PendingSends == 0 && nowMs - Volatile.Read(ref _lastSendMs) > (long)_options.PingInterval.TotalMilliseconds)
        {
            Volatile.Write(ref _pingSentMs, nowMs);
            _ = PingAsync();
        }
    }

    private async Task PingAsync()
    {
        try
        {
            await SendAsync(WebSocketOpcode.Ping, ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
        }
        catch (Exception)
        {
            _connection.Abort();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        WebSocketCloseStatus? failure = null;
        string? failureMessage = null;
        try
        {
            while (true)
            {
                ReadResult result = await _input.ReadAsync().ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                var reader = new SequenceReader<byte>(buffer);
                bool closeReceived = false;
                try
                {
                    closeReceived = ProcessFrames(ref reader);
                }
                finally
                {
                    _input.AdvanceTo(reader.Position, buffer.End);
                }

                if (closeReceived)
                {
                    break;
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (WebSocketProtocolException ex)
        {
            failure = ex.CloseStatus;
            failureMessage = ex.Message;
        }
        catch (Exception)
        {
            // Socket gone: nothing to send.
        }
        finally
        {
            ReturnMessageBuffer();
        }

        if (failure is { } status)
        {
            Log.WebSocketProtocolError(_connection.Server.Logger, _connection.Id, (int)status, failureMessage ?? string.Empty);
            await SendCloseAsync(status, failureMessage).ConfigureAwait(false);
        }
        else if (CloseStatusReceived is { } received)
        {
            // Echo the client's code (1005 "no status" is answered with an empty-reason 1000).
            await SendCloseAsync(received == WebSocketCloseStatus.Empty ? WebSocketCloseStatus.NormalClosure : received, null).ConfigureAwait(false);
        }

        Volatile.Write(ref _state, 2);
        CancelClosed();
        _closedTcs.TrySetResult();
    }

    /// <summary>Handles every complete frame in <paramref name="reader"/>; true after a close frame.</summary>
    private bool ProcessFrames(ref SequenceReader<byte> reader)
    {
        Span<byte> control = stackalloc byte[125];
        while (true)
        {
            SequenceReader<byte> start = reader;
            if (!WebSocketFrameReader.TryReadHeader(ref reader, out WebSocketFrameHeader header))
            {
                return false;
            }

            if (!header.IsControl)
            {
                if (header.Opcode == WebSocketOpcode.Continuation ? !_inMessage : _inMessage)
                {
                    WebSocketProtocolException.Throw(WebSocketCloseStatus.ProtocolError, "Unexpected continuation or new message inside a fragmented one");
                }

                if (_messageLength + header.PayloadLength > _maxInboundMessageBytes)
                {
                    WebSocketProtocolException.Throw(WebSocketCloseStatus.MessageTooBig, "Message too big");
                }
            }

            if (reader.Remaining < header.PayloadLength)
            {
                reader = start; // wait for the whole frame (bounded by the checks above)
                return false;
            }

            int length = (int)header.PayloadLength;
            if (header.IsControl)
            {
                Span<byte> payload = control[..length];
                reader.TryCopyTo(payload);
                reader.Advance(length);
                WebSocketFrameReader.Unmask(payload, header.MaskKey, 0);
                if (HandleControl(header.Opcode, payload))
                {
                    return true;
                }

                continue;
            }

            if (header.Opcode != WebSocketOpcode.Continuation)
            {
                _inMessage = true;
                _messageOpcode = header.Opcode;
                _messageLength = 0;
            }

            if (length > 0)
            {
                EnsureMessageCapacity(_messageLength + length);
                Span<byte> destination = _message.AsSpan(_messageLength, length);
                reader.TryCopyTo(destination);
                reader.Advance(length);
                WebSocketFrameReader.Unmask(destination, header.MaskKey, 0);
                _messageLength += length;
            }

            if (header.Fin)
            {
                _inMessage = false;
                ReadOnlyMemory<byte> message = _message.AsMemory(0, _messageLength);
                if (_messageOpcode == WebSocketOpcode.Text && !Utf8.IsValid(message.Span))
                {
                    WebSocketProtocolException.Throw(WebSocketCloseStatus.InvalidPayloadData, "Text message is not valid UTF-8");
                }

                MessageReceived?.Invoke(_messageOpcode, message);
                _messageLength = 0;
            }
        }
    }

    private bool HandleControl(WebSocketOpcode opcode, ReadOnlySpan<byte> payload)
    {
        switch (opcode)
        {
            case WebSocketOpcode.Ping:
                if (Volatile.Read(ref _closeSent) == 0)
                {
                    byte[] copy = payload.ToArray();
                    _ = SendPongAsync(copy);
                }

                return false;
            case WebSocketOpcode.Pong:
                Volatile.Write(ref _pingSentMs, 0);
                return false;
            default:
                if (payload.Length == 1)
                {
                    WebSocketProtocolException.Throw(WebSocketCloseStatus.ProtocolError, "Close payload of one byte");
                }

                if (payload.Length >= 2)
                {
                    int code = BinaryPrimitives.ReadUInt16BigEndian(payload);
                    if (!WebSocketCloseCodes.IsValidOnWire(code))
                    {
                        WebSocketProtocolException.Throw(WebSocketCloseStatus.ProtocolError, "Invalid close code");
                    }

                    if (!Utf8.IsValid(payload[2..]))
                    {
                        WebSocketProtocolException.Throw(WebSocketCloseStatus.InvalidPayloadData, "Close reason is not valid UTF-8");
                    }

                    CloseStatusReceived = (WebSocketCloseStatus)code;
                }
                else
                {
                    CloseStatusReceived = WebSocketCloseStatus.Empty;
                }

                Interlocked.CompareExchange(ref _state, 1, 0);
                return true;
        }
    }

    private async Task SendPongAsync(byte[] payload)
    {
        try
        {
            await SendAsync(WebSocketOpcode.Pong, payload).ConfigureAwait(false);
        }
        catch (Exception)
        {
            _connection.Abort();
        }
    }

    private void EnsureMessageCapacity(int needed)
    {
        if (_message is null || _message.Length < needed)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 256));
            if (_message is not null)
            {
                _message.AsSpan(0, _messageLength).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_message);
            }

            _message = bigger;
        }
    }

    private void ReturnMessageBuffer()
    {
        if (_message is not null)
        {
            ArrayPool<byte>.Shared.Return(_message);
            _message = null;
        }
    }

    private void CancelClosed()
    {
        try
        {
            _closed.Cancel();
        }
        catch (AggregateException)
        {
        }
    }

    /// <summary>Closes normally if still open and waits for the receive loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _closeSent) == 0)
        {
            await CloseAsync(WebSocketCloseStatus.NormalClosure).ConfigureAwait(false);
        }

        Task receive = _receiveLoop ?? Task.CompletedTask;
        if (await Task.WhenAny(receive, Task.Delay(_options.CloseTimeout)).ConfigureAwait(false) != receive)
        {
            _connection.Abort();
            await receive.ConfigureAwait(false);
        }
    }
}
