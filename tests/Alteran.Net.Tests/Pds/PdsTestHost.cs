using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Alteran.Net.Auth;
using Alteran.Net.Hosting;
using Alteran.Net.Http;
using HttpMethod = System.Net.Http.HttpMethod;
using Alteran.Net.Pds;
using Alteran.Net.Tests.Auth;
using Alteran.Net.Xrpc;
using Alteran.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Alteran.Net.Tests.Pds;

/// <summary>
/// The real PDS (PdsRuntime + ServerComposition routes + HttpServer) on 127.0.0.1:0 over a RocksDB store in a temp
/// data directory, with a manual clock and cheap Argon2id. <see cref="RestartAsync"/> stops and reopens on the same data.
/// </summary>
internal sealed class PdsTestHost : IAsyncDisposable
{
    private HttpServer? _server;

    private PdsTestHost(string dataDirectory, Action<AlteranOptions>? configure, PdsRuntimeSettings settings)
    {
        DataDirectory = dataDirectory;
        Configure = configure;
        Settings = settings;
    }

    public string DataDirectory { get; }
    public Action<AlteranOptions>? Configure { get; }
    public PdsRuntimeSettings Settings { get; }
    public ManualTimeProvider Clock => (ManualTimeProvider)Settings.Time;
    public PdsRuntime Pds { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public StringWriter Console { get; private set; } = new();

    public static async Task<PdsTestHost> StartAsync(Action<AlteranOptions>? configure = null, TimeSpan? accessLifetime = null,
        Alteran.Net.Firehose.FirehoseOptions? firehose = null)
    {
        string dir = Path.Combine(Path.GetTempPath(), "alteran-pds-tests", Guid.NewGuid().ToString("N"));
        var settings = new PdsRuntimeSettings
        {
            Time = new ManualTimeProvider(DateTimeOffset.UtcNow),
            PasswordHash = new PasswordHashParameters(64, 1),
            AccessLifetime = accessLifetime ?? TimeSpan.FromMinutes(120),
            Store = new StoreOptions { BlockCacheBytes = 8 << 20, MemtableBudgetBytes = 8 << 20, WriteBufferBytes = 2 << 20 },
            Firehose = firehose,
        };
        var host = new PdsTestHost(dir, configure, settings);
        await host.OpenAsync();
        return host;
    }

    public AlteranOptions CreateOptions()
    {
        var options = new AlteranOptions
        {
            DataDirectory = DataDirectory, Listen = new IPEndPoint(IPAddress.Loopback, 0), MaxJsonBytes = 16 * 1024,
            // Handle look-ups never leave the machine in tests: DNS and HTTPS well-known go to a closed loopback port
            // (tests that need answers start their own loopback servers and set these again).
            DnsResolver = new IPEndPoint(IPAddress.Loopback, 9), HandleWellKnownOriginOverride = new Uri("http://127.0.0.1:9"),
        };
        Configure?.Invoke(options);
        return options;
    }

    private async Task OpenAsync()
    {
        Console = new StringWriter();
        AlteranOptions options = CreateOptions();
        Pds = await PdsRuntime.OpenAsync(options, Settings, Console);
        var readiness = new List<IReadinessCheck>();
        XrpcRouter router = ServerComposition.RegisterRoutes(options, readiness, Pds);
        // Rate limits stay on (production default) but every test client is 127.0.0.1: room for login-heavy tests.
        RateLimitOptions limits = ServerComposition.CreateRateLimitOptions(options);
        limits.LoginsPerFiveMinutes = 10_000;
        _server = ServerComposition.CreateServer(options, router, NullLoggerFactory.Instance, limits);
        _server.Start();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_server.LocalEndPoint.Port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The password printed on first start (or the configured one).</summary>
    public string Password => Pds.Secrets.Password;

    public async Task RestartAsync()
    {
        await StopAsync();
        await OpenAsync();
    }

    private async Task StopAsync()
    {
        Http.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
        _server = null;
        Pds.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }

    // ------------------------------------------------------------------ request helpers

    public Task<Reply> GetAsync(string path, string? bearer = null) => SendAsync(HttpMethod.Get, path, null, bearer);

    public Task<Reply> PostAsync(string path, string? json, string? bearer = null) => SendAsync(HttpMethod.Post, path, json, bearer);

    public async Task<Reply> SendAsync(HttpMethod method, string path, string? json, string? bearer)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        if (bearer is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using HttpResponseMessage response = await Http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        return new Reply((int)response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
    }

    public async Task<Reply> LoginAsync(string identifier, string password) =>
        await PostAsync("xrpc/com.atproto.server.createSession",
            JsonSerializer.Serialize(new Dictionary<string, string> { ["identifier"] = identifier, ["password"] = password }));

    public async Task<(string Access, string Refresh)> LoginOkAsync(string? password = null)
    {
        Reply r = await LoginAsync(Pds.Handle, password ?? Password);
        Assert.Equal(200, r.Status);
        return (r.Str("accessJwt"), r.Str("refreshJwt"));
    }
}

/// <summary>An HTTP response: status, body, JSON accessors.</summary>
internal sealed record Reply(int Status, string Body, string? MediaType)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    public string Str(string name) => Json.GetProperty(name).GetString()!;
    public string? Error => Body.Length > 0 && Body[0] == '{' && Json.TryGetProperty("error", out JsonElement e) ? e.GetString() : null;
}
