using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Alteran.Net.Hosting;
using Alteran.Net.Transport;
using Alteran.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace Alteran.Net.Http;

/// <summary>
/// One client connection: socket (optionally TLS) → pipes → parser → application, one request at a time with
/// keep-alive and pipelining. Responses to pipelined requests are flushed together when no further complete
/// request is buffered. Timeouts are enforced by the heartbeat (<see cref="OnHeartbeat"/>), which cancels the
/// pending read; the read loop then answers 408 (or just closes an idle connection).
/// </summary>
internal sealed partial class HttpConnection : ITrackedConnection
{
    private enum Phase
    {
        Idle,
        Headers,
        Handling,
        Body,
        WebSocket,
        Closed,
    }

    private enum TimeoutReason
    {
        None,
        KeepAlive,
        Headers,
        Body,
        Shutdown,
    }

    private readonly Socket? _socket;
    private readonly Stream? _transport; // in-process runs only (benchmarks): no socket
    private readonly HttpLimits _limits;
    private Stream? _stream;
    private PipeReader _input = null!;
    private PipeWriter _output = null!;
    private readonly HttpRequest _request;
    private readonly HttpResponse _response;
    private readonly HttpContext _context;
    private ResponseBodyWriter? _bodyWriter;
    private bool _bodyWriterActive;
    private bool _lingerOnClose;
    private CancellationTokenSource? _abortCts;
    private WebSocketConnection? _webSocket;

    // Request body state.
    private long _bodyRemaining;
    private long _bodyReceived;
    private bool _bodyDone;
    private bool _sent100;
    private ChunkedDecoder _chunked;
    private byte[]? _bodyBuffer;

    // Timing, read by the heartbeat thread.
    private volatile int _phase;
    private long _deadlineMs;
    private long _bodyStartMs;
    private long _flushStartMs;
    private volatile int _timeoutReason;
    private int _aborted;

    public HttpConnection(HttpServer server, Socket socket, long id, IPAddress remoteAddress)
        : this(server, id, remoteAddress) => _socket = socket;

    /// <summary>
    /// A connection over any duplex stream instead of a socket (e.g. two in-memory pipes), so a whole request can be
    /// measured in process: bytes in → parser → router → handler → bytes out. The caller runs <see cref="RunAsync"/>.
    /// </summary>
    internal HttpConnection(HttpServer server, Stream transport, long id, IPAddress remoteAddress)
        : this(server, id, remoteAddress) => _transport = transport;

    private HttpConnection(HttpServer server, long id, IPAddress remoteAddress)
    {
        Server = server;
        _limits = server.Options.Limits;
        Id = id;
        RemoteAddress = remoteAddress;
        _request = new HttpRequest { RemoteAddress = remoteAddress };
        _response = new HttpResponse(this);
        _context = new HttpContext(this, _request, _response);
    }

    public HttpServer Server { get; }

    public long Id { get; }

    public IPAddress RemoteAddress { get; }

    internal HttpRequest Request => _request;

    internal HttpContext Context => _context;

    internal PipeWriter Output => _output;

    internal bool KeepAlive { get; set; }

    internal bool IsHeadRequest => _request.Method == HttpMethod.Head;

    internal CancellationToken AbortedToken
    {
        get
        {
            if (_abortCts is null)
            {
                Interlocked.CompareExchange(ref _abortCts, new CancellationTokenSource(), null);
                if (Volatile.Read(ref _aborted) != 0)
                {
                    _abortCts.Cancel();
                }
            }

            return _abortCts.Token;
        }
    }

    /// <summary>Runs the connection to the end; never throws.</summary>
    public async Task RunAsync()
    {
        try
        {
            Stream networkStream = _transport ?? new NetworkStream(_socket!, ownsSocket: false);
            _stream = networkStream;
            if (Server.Options.Certificate is { } certificate)
            {
                var ssl = new SslStream(networkStream, leaveInnerStreamOpen: false);
                _stream = ssl;
                SetPhase(Phase.Headers, _limits.HeaderTimeout);
                using var cts = new CancellationTokenSource(_limits.HeaderTimeout);
                await ssl.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions
                    {
                        ServerCertificate = certificate,
                        ApplicationProtocols = [SslApplicationProtocol.Http11],
                        ClientCertificateRequired = false,
                    },
                    cts.Token).ConfigureAwait(false);
            }

            // Zero-byte reads: an idle connection waits for readability without holding a buffer (STYLE habit 8).
            _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(
                pool: Server.MemoryPool, bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true, useZeroByteReads: true));
            _output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(
                pool: Server.MemoryPool, minimumBufferSize: 4096, leaveOpen: true));
            await ProcessRequestsAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException
            or System.Security.Authentication.AuthenticationException or InvalidOperationException)
        {
            Log.ConnectionError(Server.Logger, Id, ex.GetType().Name);
        }
        catch (Exception ex)
        {
            Log.ConnectionCrashed(Server.Logger, ex, Id);
        }
        finally
        {
            await CloseAsync().ConfigureAwait(false);
        }
    }

    private async Task ProcessRequestsAsync()
    {
        bool parsingRequestLine = true;
        bool inRequest = false;
        int headerBudget = 0, headerCountBudget = 0;
        while (true)
        {
            if (!inRequest)
            {
                if (Server.IsShuttingDown)
                {
                    await FlushOutputAsync(default).ConfigureAwait(false);
                    return;
                }

                SetPhase(Phase.Idle, _limits.KeepAliveTimeout);
            }

            if (!_input.TryRead(out ReadResult result))
            {
                await FlushOutputAsync(default).ConfigureAwait(false);
                result = await _input.ReadAsync().ConfigureAwait(false);
            }

            if (result.IsCanceled)
            {
                // A cancelled read still has to be advanced (nothing consumed) before the next one.
                _input.AdvanceTo(result.Buffer.Start);
                switch ((TimeoutReason)Interlocked.Exchange(ref _timeoutReason, 0))
                {
                    case TimeoutReason.Headers:
                        await RejectAsync(BadHttpRequestException.Create(RequestRejectionReason.HeadersTimeout)).ConfigureAwait(false);
                        return;
                    case TimeoutReason.KeepAlive:
                    case TimeoutReason.Shutdown:
                        if (!inRequest)
                        {
                            return;
                        }

                        continue;
                    default:
                        continue;
                }
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            if (buffer.IsEmpty && result.IsCompleted)
            {
                return;
            }

            if (!inRequest)
            {
                inRequest = true;
                parsingRequestLine = true;
                headerBudget = _limits.MaxHeaderBytes;
                headerCountBudget = _limits.MaxHeaderCount;
                _request.Reset();
                SetPhase(Phase.Headers, _limits.HeaderTimeout);
            }

            var reader = new SequenceReader<byte>(buffer);
            var handler = new HttpRequest.ParserHandler(_request);
            bool complete = false;
            try
            {
                if (parsingRequestLine && HttpParser.TryParseRequestLine(ref reader, ref handler, _limits.MaxRequestLineBytes))
                {
                    parsingRequestLine = false;
                }

                if (!parsingRequestLine && HttpParser.TryParseHeaders(ref reader, ref handler, ref headerBudget, ref headerCountBudget))
                {
                    _request.OnHeadersComplete();
                    complete = true;
                }
            }
            catch (BadHttpRequestException ex)
            {
                _input.AdvanceTo(reader.Position, buffer.End);
                await RejectAsync(ex).ConfigureAwait(false);
                return;
            }

            if (!complete)
            {
                _input.AdvanceTo(reader.Position, buffer.End);
                if (result.IsCompleted)
                {
                    return; // client went away mid-request
                }

                continue;
            }

            _input.AdvanceTo(reader.Position);
            inRequest = false;
            await ProcessRequestAsync().ConfigureAwait(false);
            if (_webSocket is not null)
            {
                await _webSocket.DisposeAsync().ConfigureAwait(false);
                return;
            }

            _request.Reset();
            _response.Reset();
            if (!KeepAlive)
            {
                await FlushOutputAsync(default).ConfigureAwait(false);
                return;
            }
        }
    }

    private async Task ProcessRequestAsync()
    {
        SetPhase(Phase.Handling, Timeout.InfiniteTimeSpan);
        KeepAlive = _request.KeepAlive && !Server.IsShuttingDown;
        _context.RequestId = Server.NextRequestId();
        _context.MaxRequestBodySize = _limits.DefaultMaxBodyBytes;
        _context.RouteData = null;
        _response.Reset();
        _bodyWriter?.Start(0, true, false);
        _bodyRemaining = _request.IsChunked ? -1 : Math.Max(0, _request.ContentLength);
        _bodyReceived = 0;
        _bodyDone = !_request.HasBody;
        _sent100 = false;
        _bodyStartMs = 0;
        _chunked = new ChunkedDecoder(_limits.MaxChunkLineBytes, _limits.MaxHeaderBytes, _limits.MaxHeaderCount);
        long started = Environment.TickCount64;
        try
        {
            await Server.Application.ProcessRequestAsync(_context).ConfigureAwait(false);
            if (_webSocket is not null)
            {
                return;
            }

            if (!_response.HasStarted)
            {
                _response.WriteEmpty();
            }
            else if (_bodyWriterActive && _bodyWriter is { IsCompleted: false })
            {
                await _bodyWriter.CompleteAsync().ConfigureAwait(false);
            }

            if (!_bodyDone)
            {
                await DrainBodyAsync().ConfigureAwait(false);
            }
        }
        catch (BadHttpRequestException ex)
        {
            KeepAlive = false;
            _lingerOnClose = true;
            if (!_response.HasStarted)
            {
                WriteError(ex.StatusCode, ex.StatusCode == 413 ? "PayloadTooLarge" : "InvalidRequest", ex.Message);
            }

            Log.BadRequest(Server.Logger, _context.RequestId, ex.StatusCode, ex.Reason.ToString());
        }
        catch (Exception ex) when (Volatile.Read(ref _aborted) != 0 || ex is IOException or SocketException)
        {
            KeepAlive = false;
            throw new IOException("Connection lost during the request.", ex);
        }
        catch (Exception ex)
        {
            KeepAlive = false;
            Log.UnhandledException(Server.Logger, ex, _context.RequestId);
            if (!_response.HasStarted)
            {
                _response.StatusCode = 500;
                WriteError(500, "InternalServerError", "Internal Server Error");
            }
        }
        finally
        {
            _bodyWriterActive = false;
            ReturnBodyBuffer();
            if (Server.Logger.IsEnabled(LogLevel.Debug))
            {
                Log.RequestCompleted(Server.Logger, _context.RequestId, _request.Method.ToString(), _request.GetPathString(),
                    _response.StatusCode, Environment.TickCount64 - started);
            }
        }
    }

    internal ResponseBodyWriter StartResponseBody(long contentLength)
    {
        _bodyWriter ??= new ResponseBodyWriter(this);
        // HTTP/1.0 has no chunked coding: an unknown length is delimited by closing the connection (KeepAlive is off).
        _bodyWriter.Start(contentLength, IsHeadRequest || _response.StatusCode is 204 or 304, chunked: contentLength < 0 && _request.IsHttp11);
        _bodyWriterActive = true;
        return _bodyWriter;
    }

    /// <summary>Writes an XRPC-style error body (<c>{"error","message"}</c>) with <paramref name="status"/>.</summary>
    internal void WriteError(int status, string error, string message)
    {
        _response.StatusCode = status;
        _response.WriteJson((error, message), static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WriteString("error"u8, state.error);
            writer.WriteString("message"u8, state.message);
            writer.WriteEndObject();
        });
    }

    private async Task RejectAsync(BadHttpRequestException ex)
    {
        KeepAlive = false;
        _lingerOnClose = true;
        _context.RequestId = Server.NextRequestId();
        _response.Reset();
        Log.BadRequest(Server.Logger, _context.RequestId, ex.StatusCode, ex.Reason.ToString());
        WriteError(ex.StatusCode, ex.StatusCode == 413 ? "PayloadTooLarge" : "InvalidRequest", ex.Message);
        await FlushOutputAsync(default).ConfigureAwait(false);
    }

    /// <summary>Flushes pending output, recording the start so the heartbeat can abort stalled sends.</summary>
    internal ValueTask FlushOutputAsync(CancellationToken cancellationToken)
    {
        if (_output.UnflushedBytes == 0)
        {
            return ValueTask.CompletedTask;
        }

        Volatile.Write(ref _flushStartMs, Environment.TickCount64);
        ValueTask<FlushResult> flush = _output.FlushAsync(cancellationToken);
        if (flush.IsCompletedSuccessfully)
        {
            Volatile.Write(ref _flushStartMs, 0);
            _ = flush.Result;
            return ValueTask.CompletedTask;
        }

        return AwaitFlushAsync(flush);
    }

    private async ValueTask AwaitFlushAsync(ValueTask<FlushResult> flush)
    {
        try
        {
            await flush.ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _flushStartMs, 0);
        }
    }

    private void SetPhase(Phase phase, TimeSpan timeout)
    {
        Volatile.Write(ref _deadlineMs, timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds);
        _phase = (int)phase;
    }

    /// <summary>Called by the heartbeat thread about once per interval.</summary>
    public void OnHeartbeat(long nowMs)
    {
        long flushStart = Volatile.Read(ref _flushStartMs);
        if (flushStart != 0 && nowMs - flushStart > (long)_limits.SendTimeout.TotalMilliseconds)
        {
            Log.SendTimeout(Server.Logger, Id);
            Abort();
            return;
        }

        switch ((Phase)_phase)
        {
            case Phase.Idle:
                if (nowMs > Volatile.Read(ref _deadlineMs))
                {
                    Cancel(TimeoutReason.KeepAlive);
                }

                break;
            case Phase.Headers:
                if (nowMs > Volatile.Read(ref _deadlineMs))
                {
                    Cancel(TimeoutReason.Headers);
                }

                break;
            case Phase.Body:
                long start = Volatile.Read(ref _bodyStartMs);
                long elapsed = nowMs - start;
                if (start != 0 && elapsed > (long)_limits.MinBodyRateGrace.TotalMilliseconds
                    && Volatile.Read(ref _bodyReceived) < _limits.MinBodyBytesPerSecond * elapsed / 1000.0)
                {
                    Cancel(TimeoutReason.Body);
                }

                break;
            case Phase.WebSocket:
                _webSocket?.OnHeartbeat(nowMs);
                break;
        }
    }

    private void Cancel(TimeoutReason reason)
    {
        if (Interlocked.CompareExchange(ref _timeoutReason, (int)reason, 0) == 0)
        {
            try
            {
                _input.CancelPendingRead();
            }
            catch (Exception)
            {
                // The pipe may already be completed; the connection is closing anyway.
            }
        }
    }

    /// <summary>Starts a graceful close: idle connections end now, busy ones after the current request.</summary>
    public void BeginShutdown()
    {
        switch ((Phase)_phase)
        {
            case Phase.Idle:
                Cancel(TimeoutReason.Shutdown);
                break;
            case Phase.WebSocket:
                _webSocket?.BeginShutdown();
                break;
        }
    }

    /// <summary>Closes the socket at once; pending reads and writes fail.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        // Callbacks run on the thread pool, not on the heartbeat thread that may be calling us.
        _ = _abortCts?.CancelAsync();
        _socket?.Dispose();
        _transport?.Dispose();
    }

    /// <summary>
    /// After an error response the client may still be sending a body we will not read. Closing a socket with
    /// unread input makes the kernel send RST, which can destroy the response before the client reads it, so send
    /// FIN first and discard input for a short, bounded time (as nginx's lingering close does).
    /// </summary>
    private async ValueTask LingerAsync()
    {
        if (Volatile.Read(ref _aborted) != 0 || _stream is null)
        {
            return;
        }

        byte[] scratch = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            await FlushOutputAsync(default).ConfigureAwait(false);
            if (Server.Options.Certificate is null)
            {
                _socket?.Shutdown(SocketShutdown.Send);
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            long discarded = 0;
            while (discarded < 1024 * 1024)
            {
                int n = await _stream.ReadAsync(scratch, cts.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                discarded += n;
            }
        }
        catch (Exception)
        {
            // Timeout or reset: we are closing anyway.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private async ValueTask CloseAsync()
    {
        _phase = (int)Phase.Closed;
        if (_lingerOnClose)
        {
            await LingerAsync().ConfigureAwait(false);
        }

        try
        {
            if (_input is not null)
            {
                await _input.CompleteAsync().ConfigureAwait(false);
            }

            if (_output is not null)
            {
                await _output.CompleteAsync().ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // Completing the writer flushes; a dead socket makes that throw.
        }

        try
        {
            if (Volatile.Read(ref _aborted) == 0)
            {
                _socket?.Shutdown(SocketShutdown.Both);
            }
        }
        catch (Exception)
        {
        }

        _stream?.Dispose();
        Abort();
        _request.Reset();
        _response.Reset();
        ReturnBodyBuffer();
        if (_upgradedSlot)
        {
            _upgradedSlot = false;
            Server.Connections.ReleaseUpgraded(RemoteAddress);
        }

        Server.Connections.Remove(this);
    }
}
