using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Alteran.Net.Firehose;
using Alteran.Net.Http;
using Alteran.Net.Jetstream;
using Alteran.Net.Repo;
using Alteran.Net.Tests.Repo;
using Alteran.Protocol;
using Alteran.Protocol.Crypto;
using Alteran.Storage;
using Alteran.Storage.Accounts;
using ZstdSharp;

namespace Alteran.Net.Tests.Jetstream;

/// <summary>A real store, sequencer, repo service, Jetstream feed and server on 127.0.0.1 with both stream routes.</summary>
internal sealed class JetstreamFixture : IAsyncDisposable
{
    public JetstreamFixture(FirehoseOptions? options = null, int feedRingCapacity = 1024, Action<HttpServerOptions>? configure = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "alteran-jetstream-tests", Guid.NewGuid().ToString("N"));
        FirehoseOptions firehose = options ?? new FirehoseOptions
        {
            RingCapacity = 1024, TickInterval = TimeSpan.FromMilliseconds(50), GapTimeout = TimeSpan.FromMilliseconds(100),
        };
        Store = AlteranStore.Open(Directory, RepoFixture.StoreOptions);
        Sequencer = new Sequencer(Store, firehose);
        Service = new RepoService(Store, new RepoServiceOptions { EventSink = Sequencer });
        Limiter = new SubscriberLimiter(firehose.MaxSubscribers, firehose.MaxSubscribersPerIp, firehose.ExemptLoopbackFromPerIpCap);
        Firehose = new FirehoseXrpc(Sequencer, Limiter);
        Feed = new JetstreamFeed(Sequencer, feedRingCapacity);
        Jetstream = new JetstreamSubscription(Feed, Limiter);
        Server = new TestServer(r =>
        {
            Firehose.Register(r);
            Jetstream.Register(r);
        }, configure);
    }

    public string Directory { get; }
    public AlteranStore Store { get; }
    public Sequencer Sequencer { get; }
    public RepoService Service { get; }
    public SubscriberLimiter Limiter { get; }
    public FirehoseXrpc Firehose { get; }
    public JetstreamFeed Feed { get; }
    public JetstreamSubscription Jetstream { get; }
    public TestServer Server { get; }

    public async Task<TestAccount> CreateAccountAsync()
    {
        string did = "did:plc:" + Base32.Encode(Guid.NewGuid().ToByteArray())[..24];
        var key = PrivateKey.Generate(KeyAlgorithm.K256);
        WriteResult created = await Store.CreateAccountAsync(new AccountRow { Did = did });
        var account = new TestAccount(created.AccountId, did, key);
        await Service.CreateRepoAsync(account.Id, did, key);
        return account;
    }

    public Task<RepoCommitResult> WriteAsync(TestAccount a, RepoWriteOp op) => Service.ApplyWritesAsync(a.Id, a.Key, [op]);

    public Task<RepoCommitResult> PostAsync(TestAccount a, string rkey, string text = "hello")
        => WriteAsync(a, RepoWriteOp.Create(RepoTestData.Posts, rkey, RepoTestData.Record(RepoTestData.Posts, text)));

    public async Task<JetstreamClient> SubscribeAsync(string query = "", bool zstdHeader = false)
    {
        var ws = new ClientWebSocket();
        if (zstdHeader)
            ws.Options.SetRequestHeader("Socket-Encoding", "zstd");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{Server.Port}{JetstreamSubscription.Path}{query}"), cts.Token);
        return new JetstreamClient(ws);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Firehose.Dispose();
        Feed.Dispose();
        Sequencer.Dispose();
        Store.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// A Jetstream consumer over <see cref="ClientWebSocket"/>: text frames are JSON, binary frames are zstd frames
/// decompressed with ZstdSharp and the dictionary file from tests/fixtures (independently of our compressor).
/// </summary>
internal sealed class JetstreamClient(ClientWebSocket ws) : IDisposable
{
    private static readonly byte[] Dictionary = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fixtures", "jetstream", "legacy_subscribe.zdict"));
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly Decompressor _decompressor = CreateDecompressor();

    public ClientWebSocket Socket => ws;

    /// <summary>Message types seen (text or binary).</summary>
    public List<WebSocketMessageType> Types { get; } = [];

    private static Decompressor CreateDecompressor()
    {
        var d = new Decompressor();
        d.LoadDictionary(Dictionary);
        return d;
    }

    /// <summary>The next event's JSON text, or null when the server closed the stream (or nothing came in time).</summary>
    public async Task<string?> ReceiveJsonAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        var message = new MemoryStream();
        while (true)
        {
            WebSocketReceiveResult r;
            try
            {
                r = await ws.ReceiveAsync(_buffer, cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                return null;
            }
            if (r.MessageType == WebSocketMessageType.Close)
                return null;
            message.Write(_buffer, 0, r.Count);
            if (!r.EndOfMessage)
                continue;
            Types.Add(r.MessageType);
            byte[] bytes = message.ToArray();
            return r.MessageType == WebSocketMessageType.Binary
                ? Encoding.UTF8.GetString(_decompressor.Unwrap(bytes))
                : Encoding.UTF8.GetString(bytes);
        }
    }

    /// <summary>The next event, parsed.</summary>
    public async Task<JsonElement> ReceiveAsync(TimeSpan? timeout = null)
    {
        string? json = await ReceiveJsonAsync(timeout);
        Assert.NotNull(json);
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    /// <summary>Receives <paramref name="count"/> events.</summary>
    public async Task<List<JsonElement>> ReceiveManyAsync(int count)
    {
        var events = new List<JsonElement>(count);
        for (int i = 0; i < count; i++)
            events.Add(await ReceiveAsync());
        return events;
    }

    /// <summary>Receives events until one is a commit for <paramref name="rkey"/> (bounded).</summary>
    public async Task<List<JsonElement>> ReceiveUntilRkeyAsync(string rkey, int max = 1000)
    {
        var events = new List<JsonElement>();
        for (int i = 0; i < max; i++)
        {
            JsonElement e = await ReceiveAsync();
            events.Add(e);
            if (e.GetProperty("kind").GetString() == "commit" && e.GetProperty("commit").GetProperty("rkey").GetString() == rkey)
                return events;
        }
        throw new InvalidOperationException("rkey not seen: " + rkey);
    }

    public Task SendTextAsync(string text) =>
        ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public void Dispose()
    {
        _decompressor.Dispose();
        ws.Dispose();
    }
}
