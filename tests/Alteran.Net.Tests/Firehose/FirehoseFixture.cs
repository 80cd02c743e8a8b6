using System.Net.WebSockets;
using Alteran.Net.Firehose;
using Alteran.Net.Http;
using Alteran.Net.Repo;
using Alteran.Net.Tests.Repo;
using Alteran.Protocol;
using Alteran.Protocol.Crypto;
using Alteran.Protocol.Sync;
using Alteran.Storage;
using Alteran.Storage.Accounts;

namespace Alteran.Net.Tests.Firehose;

/// <summary>A real store, sequencer, repo service and server on 127.0.0.1 with the firehose route.</summary>
internal sealed class FirehoseFixture : IAsyncDisposable
{
    private readonly FirehoseOptions _firehoseOptions;
    private readonly StoreOptions _storeOptions;
    private readonly Action<HttpServerOptions>? _configure;

    public FirehoseFixture(FirehoseOptions? options = null, StoreOptions? storeOptions = null, Action<HttpServerOptions>? configure = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "alteran-firehose-tests", Guid.NewGuid().ToString("N"));
        _firehoseOptions = options ?? new FirehoseOptions { RingCapacity = 1024, TickInterval = TimeSpan.FromMilliseconds(50), GapTimeout = TimeSpan.FromMilliseconds(100) };
        _storeOptions = storeOptions ?? RepoFixture.StoreOptions;
        _configure = configure;
        Start();
    }

    public string Directory { get; }

    public AlteranStore Store { get; private set; } = null!;

    public Sequencer Sequencer { get; private set; } = null!;

    public RepoService Service { get; private set; } = null!;

    public FirehoseXrpc Firehose { get; private set; } = null!;

    public TestServer Server { get; private set; } = null!;

    private void Start()
    {
        Store = AlteranStore.Open(Directory, _storeOptions);
        Sequencer = new Sequencer(Store, _firehoseOptions);
        Service = new RepoService(Store, new RepoServiceOptions { EventSink = Sequencer });
        Firehose = new FirehoseXrpc(Sequencer);
        Server = new TestServer(Firehose.Register, _configure);
    }

    /// <summary>Stops everything and starts again on the same data (a process restart).</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        Start();
    }

    private async Task StopAsync()
    {
        await Server.DisposeAsync();
        Firehose.Dispose();
        Sequencer.Dispose();
        Store.Dispose();
    }

    public async Task<TestAccount> CreateAccountAsync()
    {
        string did = "did:plc:" + Base32.Encode(Guid.NewGuid().ToByteArray())[..24];
        var key = PrivateKey.Generate(KeyAlgorithm.K256);
        WriteResult created = await Store.CreateAccountAsync(new AccountRow { Did = did });
        var account = new TestAccount(created.AccountId, did, key);
        await Service.CreateRepoAsync(account.Id, did, key);
        return account;
    }

    public Task<RepoCommitResult> PostAsync(TestAccount a, string rkey, int textLength = 10)
        => Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(RepoTestData.Posts, rkey, RepoTestData.Record(RepoTestData.Posts, new string('x', textLength)))]);

    public async Task<FirehoseClient> SubscribeAsync(string? cursor = null)
    {
        var ws = new ClientWebSocket();
        string query = cursor is null ? "" : "?cursor=" + cursor;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{Server.Port}/xrpc/{FirehoseXrpc.Nsid}{query}"), cts.Token);
        return new FirehoseClient(ws);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A firehose consumer over <see cref="ClientWebSocket"/> that decodes every frame strictly.</summary>
internal sealed class FirehoseClient(ClientWebSocket ws) : IDisposable
{
    private readonly byte[] _buffer = new byte[64 * 1024];

    public ClientWebSocket Socket => ws;

    /// <summary>Every frame received, as bytes.</summary>
    public Dictionary<long, byte[]> RawBySeq { get; } = [];

    /// <summary>The next frame, or null when the server closed the stream.</summary>
    public async Task<FirehoseFrame?> ReceiveAsync(TimeSpan? timeout = null)
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
            catch (WebSocketException)
            {
                return null;
            }
            if (r.MessageType == WebSocketMessageType.Close)
                return null;
            Assert.Equal(WebSocketMessageType.Binary, r.MessageType);
            message.Write(_buffer, 0, r.Count);
            if (r.EndOfMessage)
            {
                byte[] bytes = message.ToArray();
                FirehoseFrame frame = FirehoseFrame.Decode(bytes);
                if (frame.Seq is { } seq)
                    RawBySeq[seq] = bytes;
                return frame;
            }
        }
    }

    /// <summary>Receives event frames until <paramref name="lastSeq"/>; checks they are contiguous from <paramref name="firstSeq"/>.</summary>
    public async Task<List<FirehoseFrame>> ReceiveThroughAsync(long firstSeq, long lastSeq)
    {
        var frames = new List<FirehoseFrame>();
        long expected = firstSeq;
        for (int i = 0; expected <= lastSeq && i < 1_000_000; i++)
        {
            FirehoseFrame? frame = await ReceiveAsync();
            Assert.NotNull(frame);
            Assert.Equal(expected, frame.Seq); // no gap, no duplicate
            frames.Add(frame);
            expected++;
        }
        return frames;
    }

    public void Dispose() => ws.Dispose();
}
