using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Alteran.Net.Auth;
using Alteran.Net.Hosting;
using Alteran.Net.Http;
using Alteran.Net.Pds;
using Alteran.Net.Pds.Repo;
using Alteran.Net.Repo;
using Alteran.Net.Xrpc;
using Alteran.Protocol;
using Alteran.Protocol.Crypto;
using Alteran.Storage;
using Alteran.Storage.Accounts;
using Microsoft.Extensions.Logging.Abstractions;

namespace Alteran.Net.Tests.Pds.Repo;

/// <summary>One hosted account of the fixture, with a real session access token.</summary>
internal sealed record PdsTestAccount(long Id, string Did, string Handle, PrivateKey Key, string AccessJwt);

/// <summary>
/// The repo handlers on a real server (ServerComposition) over a real RocksDB store in a temp directory, with the
/// real bearer authenticator and session tokens; an HttpClient talks to it over 127.0.0.1.
/// </summary>
internal sealed class PdsRepoFixture : IAsyncDisposable
{
    private readonly Dictionary<long, PrivateKey> _keys = [];

    private PdsRepoFixture(RepoXrpcOptions? options)
    {
        Directory = Path.Combine(Path.GetTempPath(), "alteran-pds-repo-tests", Guid.NewGuid().ToString("N"));
        Store = AlteranStore.Open(Directory, new StoreOptions { BlockCacheBytes = 8 << 20, MemtableBudgetBytes = 8 << 20, WriteBufferBytes = 2 << 20 });
        Repo = new RepoService(Store);
        Tokens = new SessionTokens(new SessionTokenOptions { Secret = Encoding.UTF8.GetBytes("test-secret-test-secret-test-secret!"), ServiceDid = "did:web:localhost" },
            new SessionStore(Store));
        Handlers = new RepoXrpcHandlers(Repo, Store, new BearerAuthenticator(Tokens, Store), id => _keys[id], options);
        var router = new XrpcRouter();
        Handlers.Register(router);
        Server = ServerComposition.CreateServer(new AlteranOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0) }, router, NullLoggerFactory.Instance);
        Server.Start();
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Server.LocalEndPoint.Port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Directory { get; }
    public AlteranStore Store { get; }
    public RepoService Repo { get; }
    public SessionTokens Tokens { get; }
    public RepoXrpcHandlers Handlers { get; }
    public HttpServer Server { get; }
    public HttpClient Client { get; }

    public static PdsRepoFixture Start(RepoXrpcOptions? options = null) => new(options);

    public async Task<PdsTestAccount> CreateAccountAsync(string? handle = null)
    {
        string did = "did:plc:" + Base32.Encode(Guid.NewGuid().ToByteArray())[..24];
        handle ??= "u" + Guid.NewGuid().ToString("N")[..10] + ".test";
        var key = PrivateKey.Generate(KeyAlgorithm.K256);
        WriteResult created = await Store.CreateAccountAsync(new AccountRow { Did = did, Handle = handle });
        _keys[created.AccountId] = key;
        await Repo.CreateRepoAsync(created.AccountId, did, key);
        string jwt = Tokens.CreateSession(did).AccessJwt;
        return new PdsTestAccount(created.AccountId, did, handle, key, jwt);
    }

    public Task<HttpResponseMessage> GetAsync(string nsidAndQuery) => Client.GetAsync("xrpc/" + nsidAndQuery);

    public async Task<HttpResponseMessage> PostJsonAsync(string nsid, string json, PdsTestAccount? auth)
    {
        using var request = new HttpRequestMessage(System.Net.Http.HttpMethod.Post, "xrpc/" + nsid)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (auth is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", auth.AccessJwt);
        return await Client.SendAsync(request);
    }

    public async Task<HttpResponseMessage> PostBytesAsync(string nsid, byte[] body, string contentType, PdsTestAccount? auth)
    {
        using var request = new HttpRequestMessage(System.Net.Http.HttpMethod.Post, "xrpc/" + nsid) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (auth is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", auth.AccessJwt);
        return await Client.SendAsync(request);
    }

    /// <summary>Asserts a 200 and returns the JSON body.</summary>
    public static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an XRPC error with <paramref name="status"/> and <paramref name="error"/>.</summary>
    public static async Task AssertErrorAsync(HttpResponseMessage response, int status, string error)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status} {error}, got {(int)response.StatusCode}: {text}");
        using JsonDocument doc = JsonDocument.Parse(text);
        Assert.Equal(error, doc.RootElement.GetProperty("error").GetString());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        Store.Dispose();
        foreach (PrivateKey key in _keys.Values)
            key.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
