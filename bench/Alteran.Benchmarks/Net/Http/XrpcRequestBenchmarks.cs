using System.Net;
using System.Text;
using System.Text.Json;
using Alteran.Net.Auth;
using Alteran.Net.Hosting;
using Alteran.Net.Http;
using Alteran.Net.Pds;
using Alteran.Net.Xrpc;
using Alteran.Storage;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Alteran.Benchmarks.Net.Http;

/// <summary>
/// A whole XRPC request through the real server without a socket: request bytes into an in-memory pipe → HTTP
/// parser → router → handler (real PDS over RocksDB in a temp dir) → response bytes read back. One keep-alive
/// connection; every operation is one request and its full response. Rate limits off (they would refuse the
/// benchmark's request rate), everything else as <c>alteran</c> composes it.
/// </summary>
[MemoryDiagnoser]
public class XrpcRequestBenchmarks
{
    private string _dir = "";
    private PdsRuntime _pds = null!;
    private HttpServer _server = null!;
    private InMemoryClient _client = null!;
    private byte[] _health = [];
    private byte[] _describeServer = [];
    private byte[] _getRecord = [];

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _dir = Path.Combine(Path.GetTempPath(), "alteran-xrpc-bench", Guid.NewGuid().ToString("N"));
        var options = new AlteranOptions { DataDirectory = _dir, Listen = new IPEndPoint(IPAddress.Loopback, 0) };
        var settings = new PdsRuntimeSettings
        {
            PasswordHash = new PasswordHashParameters(64, 1),
            Store = new StoreOptions { BlockCacheBytes = 8 << 20, MemtableBudgetBytes = 8 << 20, WriteBufferBytes = 2 << 20 },
        };
        _pds = await PdsRuntime.OpenAsync(options, settings, TextWriter.Null);
        XrpcRouter router = ServerComposition.RegisterRoutes(options, [], _pds);
        _server = ServerComposition.CreateServer(options, router, NullLoggerFactory.Instance, new RateLimitOptions { Enabled = false });
        DateHeader.Update(DateTimeOffset.UtcNow); // normally the listener's heartbeat does this
        _client = new InMemoryClient(_server);

        // One post, written through the same connection (login, then createRecord).
        string login = $"{{\"identifier\":\"{_pds.Handle}\",\"password\":\"{_pds.Secrets.Password}\"}}";
        string session = await PostAsync("com.atproto.server.createSession", login, null);
        string token = JsonDocument.Parse(session).RootElement.GetProperty("accessJwt").GetString()!;
        string record = "{\"repo\":\"" + _pds.Did + "\",\"collection\":\"app.bsky.feed.post\",\"rkey\":\"3l4benchpost2\",\"record\":" +
            "{\"$type\":\"app.bsky.feed.post\",\"text\":\"A benchmark post of a typical short length, with some words in it.\",\"langs\":[\"en\"],\"createdAt\":\"2024-05-01T12:34:56.789Z\"}}";
        await PostAsync("com.atproto.repo.createRecord", record, token);

        _health = Get("/xrpc/_health");
        _describeServer = Get("/xrpc/com.atproto.server.describeServer");
        _getRecord = Get($"/xrpc/com.atproto.repo.getRecord?repo={Uri.EscapeDataString(_pds.Did)}&collection=app.bsky.feed.post&rkey=3l4benchpost2");
        foreach (byte[] request in new[] { _health, _describeServer, _getRecord })
        {
            int status = await _client.SendAsync(request);
            if (status != 200)
            {
                throw new InvalidOperationException($"setup: HTTP {status}: {Encoding.UTF8.GetString(_client.LastResponse)}");
            }
        }
    }

    private static byte[] Get(string target) => Encoding.ASCII.GetBytes(
        $"GET {target} HTTP/1.1\r\nHost: pds.example.com\r\nUser-Agent: bench\r\nAccept: application/json\r\nAccept-Encoding: gzip, deflate, br\r\n\r\n");

    private async Task<string> PostAsync(string nsid, string json, string? bearer)
    {
        byte[] body = Encoding.UTF8.GetBytes(json);
        string auth = bearer is null ? "" : $"Authorization: Bearer {bearer}\r\n";
        byte[] head = Encoding.ASCII.GetBytes($"POST /xrpc/{nsid} HTTP/1.1\r\nHost: pds.example.com\r\n{auth}Content-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
        int status = await _client.SendAsync([.. head, .. body]);
        string text = Encoding.UTF8.GetString(_client.LastResponse);
        if (status != 200)
        {
            throw new InvalidOperationException($"setup {nsid}: HTTP {status}: {text}");
        }

        return text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
    }

    [Benchmark(Baseline = true)]
    public ValueTask<int> Health() => _client.SendAsync(_health);

    [Benchmark]
    public ValueTask<int> DescribeServer() => _client.SendAsync(_describeServer);

    [Benchmark]
    public ValueTask<int> GetRecord() => _client.SendAsync(_getRecord);

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _pds.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
