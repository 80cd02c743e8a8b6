using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Alteran.Net.Hosting;
using Alteran.Net.Transport;
using Microsoft.Extensions.Logging;

namespace Alteran.Net.Http;

/// <summary>
/// The listener: accepts sockets, applies the connection caps, and runs one <see cref="HttpConnection"/> per
/// socket. <see cref="StopAsync"/> stops accepting, closes idle connections, lets in-flight requests finish until
/// the token fires, then aborts what is left.
/// </summary>
public sealed class HttpServer : IAsyncDisposable
{
    private static ReadOnlySpan<byte> Unavailable =>
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 68\r\nConnection: close\r\n\r\n{\"error\":\"NotEnoughResources\",\"message\":\"Too many open connections\"}"u8;

    private readonly Socket _listener;
    private readonly ConnectionManager _connections;
    private Heartbeat? _heartbeat;
    private Task? _acceptLoop;
    private long _nextConnectionId;
    private long _nextRequestId;
    private volatile bool _shuttingDown;

    /// <summary>Creates a server; call <see cref="Start"/> to listen.</summary>
    public HttpServer(HttpServerOptions options, IHttpApplication application, ILogger logger)
    {
        Options = options;
        Application = application;
        Logger = logger;
        _connections = new ConnectionManager(options.Limits.MaxConnections, options.Limits.MaxConnectionsPerIp, options.Limits.ExemptLoopbackFromPerIpCap);
        _listener = new Socket(options.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // Request ids: a random 32-bit prefix per process, then a counter, so ids from restarts do not collide in logs.
        _nextRequestId = (long)((ulong)(uint)Random.Shared.Next() << 32);
    }

    /// <summary>Options in force.</summary>
    public HttpServerOptions Options { get; }

    /// <summary>The application requests go to.</summary>
    public IHttpApplication Application { get; }

    internal ILogger Logger { get; }

    internal MemoryPool<byte> MemoryPool { get; } = MemoryPool<byte>.Shared;

    internal ConnectionManager Connections => _connections;

    /// <summary>True once <see cref="StopAsync"/> has begun.</summary>
    public bool IsShuttingDown => _shuttingDown;

    /// <summary>The bound address (with the real port when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Open connections.</summary>
    public int ConnectionCount => _connections.Count;

    internal ulong NextRequestId() => (ulong)Interlocked.Increment(ref _nextRequestId);

    /// <summary>Binds, listens and starts accepting.</summary>
    public void Start()
    {
        if (Options.EndPoint.AddressFamily == AddressFamily.InterNetworkV6)
        {
            _listener.DualMode = Options.EndPoint.Address.Equals(IPAddress.IPv6Any);
        }

        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(Options.EndPoint);
        _listener.Listen(Options.Backlog);
        DateHeader.Update(DateTimeOffset.UtcNow);
        _heartbeat = new Heartbeat(Options.Limits.HeartbeatInterval, OnHeartbeat, ex => Log.HeartbeatFailed(Logger, ex));
        _acceptLoop = AcceptLoopAsync();
        Log.Listening(Logger, LocalEndPoint.ToString(), Options.Certificate is not null);
    }

    private void OnHeartbeat(long nowMs)
    {
        DateHeader.Update(DateTimeOffset.UtcNow);
        _connections.OnHeartbeat(nowMs);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_shuttingDown)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                continue; // the client gave up before we accepted: harmless
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.OperationAborted || _shuttingDown)
            {
                return;
            }
            catch (SocketException ex)
            {
                // Out of file descriptors or memory: back off instead of spinning.
                Log.AcceptFailed(Logger, ex.SocketErrorCode.ToString());
                await Task.Delay(100).ConfigureAwait(false);
                continue;
            }

            Accept(socket);
        }
    }

    private void Accept(Socket socket)
    {
        IPAddress address = (socket.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (_shuttingDown || !_connections.TryReserve(address))
        {
            Log.ConnectionRejected(Logger, address.ToString());
            try
            {
                socket.Blocking = false;
                socket.Send(Unavailable, SocketFlags.None, out _);
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception)
            {
            }

            socket.Dispose();
            return;
        }

        socket.NoDelay = true;
        var connection = new HttpConnection(this, socket, Interlocked.Increment(ref _nextConnectionId), address);
        _connections.Add(connection);
        _ = connection.RunAsync();
    }

    /// <summary>
    /// Graceful shutdown: stop accepting, close idle connections, let busy ones finish their current request (their
    /// responses carry <c>Connection: close</c>), send WebSocket close 1001; abort the rest when
    /// <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_shuttingDown)
        {
            return;
        }

        _shuttingDown = true;
        Log.Stopping(Logger, _connections.Count);
        _listener.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        Task drained = _connections.BeginShutdown();
        try
        {
            await drained.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _connections.AbortAll();
            try
            {
                await drained.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // A handler that ignores cancellation keeps its task alive; its socket is closed, so stop anyway.
            }
        }
        finally
        {
            _heartbeat?.Dispose();
            _heartbeat = null;
        }
    }

    /// <summary>Stops with a 5-second drain.</summary>
    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await StopAsync(cts.Token).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        _listener.Dispose();
        _heartbeat?.Dispose();
    }
}
