using System.Net;
using System.Net.Sockets;
using System.Text;
using Alteran.Net.Http;
using Alteran.Net.Xrpc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Alteran.Net.Tests;

/// <summary>A real server on 127.0.0.1 with a random port, short timeouts and test routes.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    public TestServer(Action<XrpcRouter>? routes = null, Action<HttpServerOptions>? configure = null, CorsPolicy? cors = null)
    {
        var options = new HttpServerOptions
        {
            EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Limits = new HttpLimits
            {
                HeartbeatInterval = TimeSpan.FromMilliseconds(50),
                HeaderTimeout = TimeSpan.FromSeconds(5),
                KeepAliveTimeout = TimeSpan.FromSeconds(5),
                MinBodyRateGrace = TimeSpan.FromSeconds(2),
                ExemptLoopbackFromPerIpCap = false, // every test client is on loopback: keep the per-IP caps testable
            },
        };
        configure?.Invoke(options);
        Router = new XrpcRouter();
        BuiltInRoutes.Register(Router, Readiness);
        routes?.Invoke(Router);
        Server = new HttpServer(options, new XrpcApplication(Router, cors ?? CorsPolicy.AllowAny, NullLogger.Instance), NullLogger.Instance);
        Server.Start();
    }

    public List<IReadinessCheck> Readiness { get; } = [];

    public XrpcRouter Router { get; }

    public HttpServer Server { get; }

    public int Port => Server.LocalEndPoint.Port;

    public async Task<RawClient> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, Port);
        return new RawClient(socket);
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>Minimal HTTP/1.1 client over a raw socket, so tests control every byte.</summary>
internal sealed class RawClient : IDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start, _end;

    public RawClient(Socket socket, Stream? stream = null)
    {
        _socket = socket;
        _stream = stream ?? new NetworkStream(socket, ownsSocket: true);
    }

    public Stream Stream => _stream;

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    private async Task<bool> FillAsync()
    {
        if (_start > 0 && _start == _end)
        {
            _start = _end = 0;
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int n = await _stream.ReadAsync(_buffer.AsMemory(_end), cts.Token);
        _end += n;
        return n > 0;
    }

    public async Task<string> ReadLineAsync()
    {
        while (true)
        {
            int lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (lf >= 0)
            {
                string line = Encoding.Latin1.GetString(_buffer, _start, lf - _start).TrimEnd('\r');
                _start = lf + 1;
                return line;
            }

            if (!await FillAsync())
            {
                throw new EndOfStreamException();
            }
        }
    }

    public async Task<byte[]> ReadExactlyAsync(int count)
    {
        var result = new byte[count];
        int got = 0;
        while (got < count)
        {
            if (_start == _end && !await FillAsync())
            {
                throw new EndOfStreamException();
            }

            int n = Math.Min(count - got, _end - _start);
            Array.Copy(_buffer, _start, result, got, n);
            _start += n;
            got += n;
        }

        return result;
    }

    /// <summary>Reads one response; HEAD responses have no body.</summary>
    public async Task<RawResponse> ReadResponseAsync(bool head = false)
    {
        string statusLine = await ReadLineAsync();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            string line = await ReadLineAsync();
            if (line.Length == 0)
            {
                break;
            }

            int colon = line.IndexOf(':');
            headers[line[..colon]] = line[(colon + 1)..].Trim();
        }

        int status = int.Parse(statusLine.Split(' ')[1]);
        byte[] body = [];
        if (!head && status >= 200 && status != 204 && status != 304)
        {
            if (headers.TryGetValue("Content-Length", out string? cl))
            {
                body = await ReadExactlyAsync(int.Parse(cl));
            }
            else if (headers.TryGetValue("Transfer-Encoding", out string? te) && te == "chunked")
            {
                var ms = new MemoryStream();
                while (true)
                {
                    int size = Convert.ToInt32(await ReadLineAsync(), 16);
                    if (size == 0)
                    {
                        Assert.Equal("", await ReadLineAsync());
                        break;
                    }

                    ms.Write(await ReadExactlyAsync(size));
                    Assert.Equal("", await ReadLineAsync());
                }

                body = ms.ToArray();
            }
        }

        return new RawResponse(status, headers, body);
    }

    /// <summary>Reads until the server closes the connection.</summary>
    public async Task<byte[]> ReadToEndAsync()
    {
        var ms = new MemoryStream();
        ms.Write(_buffer, _start, _end - _start);
        _start = _end = 0;
        while (await FillAsync())
        {
            ms.Write(_buffer, _start, _end - _start);
            _start = _end = 0;
        }

        return ms.ToArray();
    }

    /// <summary>True when the server closed the connection (read returns 0) within the time limit.</summary>
    public async Task<bool> IsClosedByServerAsync(TimeSpan? within = null)
    {
        if (_start < _end)
        {
            return false;
        }

        try
        {
            using var cts = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(10));
            int n = await _stream.ReadAsync(_buffer.AsMemory(_end), cts.Token);
            return n == 0;
        }
        catch (IOException)
        {
            return true; // reset counts as closed
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
    }
}

internal sealed record RawResponse(int Status, Dictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);
}
