using System.Net.Sockets;
using Alteran.Net.Firehose;
using Alteran.Net.Tests.Repo;
using Alteran.Protocol.Sync;
using Alteran.Storage;
using Alteran.Storage.Log;

namespace Alteran.Net.Tests.Firehose;

/// <summary>com.atproto.sync.subscribeRepos over real sockets, a real store and real commits.</summary>
public sealed class SubscribeReposTests
{
    private static byte[] StoredFrame(AlteranStore store, long seq)
    {
        using EventCursor c = store.ReadEvents(seq - 1, seq);
        Assert.True(c.MoveNext());
        return c.Frame.ToArray();
    }

    [Fact]
    public async Task Live_subscriber_gets_every_event_in_seq_order_as_stored()
    {
        await using var f = new FirehoseFixture();
        TestAccount a = await f.CreateAccountAsync();
        using FirehoseClient client = await f.SubscribeAsync();
        long start = f.Store.LastSeq;
        var writes = Task.Run(async () =>
        {
            for (int i = 0; i < 20; i++)
                await f.PostAsync(a, $"p{i:D3}");
        });
        await writes.WaitAsync(TimeSpan.FromSeconds(60));
        List<FirehoseFrame> frames = await client.ReceiveThroughAsync(start + 1, f.Store.LastSeq);
        Assert.Equal(20, frames.Count);
        foreach (FirehoseFrame frame in frames)
        {
            Assert.NotNull(frame.Commit);
            Assert.Equal(a.Did, frame.Commit.Repo);
            Assert.Equal(StoredFrame(f.Store, frame.Seq!.Value), client.RawBySeq[frame.Seq.Value]);
        }
    }

    [Fact]
    public async Task Concurrent_repos_publish_out_of_order_but_subscribers_see_no_gap()
    {
        await using var f = new FirehoseFixture();
        var accounts = new TestAccount[4];
        for (int i = 0; i < accounts.Length; i++)
            accounts[i] = await f.CreateAccountAsync();
        using FirehoseClient client = await f.SubscribeAsync();
        long start = f.Store.LastSeq;
        var tasks = new Task[accounts.Length];
        for (int i = 0; i < accounts.Length; i++)
        {
            TestAccount a = accounts[i];
            tasks[i] = Task.Run(async () =>
            {
                for (int j = 0; j < 10; j++)
                    await f.PostAsync(a, $"p{j:D3}");
            });
        }
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60));
        List<FirehoseFrame> frames = await client.ReceiveThroughAsync(start + 1, f.Store.LastSeq);
        Assert.Equal(40, frames.Count);
    }

    [Fact]
    public async Task Replay_from_a_middle_cursor_cuts_over_to_live_with_no_gap_or_duplicate()
    {
        // A tiny ring forces the subscriber through log replay, lapping and the cut-over while writes continue.
        await using var f = new FirehoseFixture(new FirehoseOptions
        {
            RingCapacity = 4,
            ReplayBatchSize = 3,
            TickInterval = TimeSpan.FromMilliseconds(50),
            GapTimeout = TimeSpan.FromMilliseconds(100),
        });
        TestAccount a = await f.CreateAccountAsync();
        for (int i = 0; i < 20; i++)
            await f.PostAsync(a, $"a{i:D3}");
        long middle = f.Store.LastSeq / 2;
        using FirehoseClient client = await f.SubscribeAsync(middle.ToString());
        var writes = Task.Run(async () =>
        {
            for (int i = 0; i < 20; i++)
                await f.PostAsync(a, $"b{i:D3}");
        });
        List<FirehoseFrame> first = await client.ReceiveThroughAsync(middle + 1, middle + 5);
        await writes.WaitAsync(TimeSpan.FromSeconds(60));
        long last = f.Store.LastSeq;
        List<FirehoseFrame> rest = await client.ReceiveThroughAsync(middle + 6, last);
        Assert.Equal(last - middle, first.Count + rest.Count);
        // Every frame equals the stored bytes.
        foreach (FirehoseFrame frame in rest)
            Assert.Equal(StoredFrame(f.Store, frame.Seq!.Value), client.RawBySeq[frame.Seq.Value]);
        // And then nothing more until a new write: the next event follows directly.
        await f.PostAsync(a, "c000");
        List<FirehoseFrame> next = await client.ReceiveThroughAsync(last + 1, last + 1);
        Assert.Single(next);
    }

    [Fact]
    public async Task Live_subscriber_lapped_by_the_ring_catches_up_from_the_log()
    {
        await using var f = new FirehoseFixture(new FirehoseOptions { RingCapacity = 2, ReplayBatchSize = 4, TickInterval = TimeSpan.FromMilliseconds(50) });
        TestAccount a = await f.CreateAccountAsync();
        using FirehoseClient client = await f.SubscribeAsync();
        long start = f.Store.LastSeq;
        for (int i = 0; i < 30; i++)
            await f.PostAsync(a, $"p{i:D3}"); // not reading meanwhile: the ring (2 slots) laps the subscriber
        List<FirehoseFrame> frames = await client.ReceiveThroughAsync(start + 1, f.Store.LastSeq);
        Assert.Equal(30, frames.Count);
        foreach (FirehoseFrame frame in frames)
            Assert.Equal(StoredFrame(f.Store, frame.Seq!.Value), client.RawBySeq[frame.Seq.Value]);
    }

    [Fact]
    public async Task Cursor_zero_replays_everything()
    {
        await using var f = new FirehoseFixture();
        TestAccount a = await f.CreateAccountAsync();
        for (int i = 0; i < 5; i++)
            await f.PostAsync(a, $"a{i:D3}");
        using FirehoseClient client = await f.SubscribeAsync("0");
        List<FirehoseFrame> frames = await client.ReceiveThroughAsync(1, f.Store.LastSeq);
        Assert.Equal(f.Store.LastSeq, frames.Count);
    }

    [Fact]
    public async Task Future_cursor_gets_an_error_frame_then_close()
    {
        await using var f = new FirehoseFixture();
        TestAccount a = await f.CreateAccountAsync();
        await f.PostAsync(a, "a");
        using FirehoseClient client = await f.SubscribeAsync((f.Store.LastSeq + 10).ToString());
        FirehoseFrame? frame = await client.ReceiveAsync();
        Assert.NotNull(frame);
        Assert.NotNull(frame.Error);
        Assert.Equal(FirehoseFrameWriter.FutureCursor, frame.Error.Error);
        Assert.Null(await client.ReceiveAsync());
    }

    [Fact]
    public async Task Outdated_cursor_gets_info_then_everything_from_the_oldest()
    {
        StoreOptions storeOptions = RepoFixture.StoreOptions;
        storeOptions.EventLogMaxCount = 5;
        await using var f = new FirehoseFixture(storeOptions: storeOptions);
        TestAccount a = await f.CreateAccountAsync();
        for (int i = 0; i < 12; i++)
            await f.PostAsync(a, $"a{i:D3}");
        long first = f.Store.PruneEvents();
        Assert.True(first > 2);
        using FirehoseClient client = await f.SubscribeAsync("1");
        FirehoseFrame? info = await client.ReceiveAsync();
        Assert.NotNull(info?.Info);
        Assert.Equal(FirehoseFrameWriter.OutdatedCursor, info.Info.Name);
        List<FirehoseFrame> frames = await client.ReceiveThroughAsync(first, f.Store.LastSeq);
        Assert.Equal(f.Store.LastSeq - first + 1, frames.Count);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("")]
    [InlineData("99999999999999999999")]
    public async Task Non_numeric_cursor_is_rejected_before_the_upgrade(string cursor)
    {
        await using var f = new FirehoseFixture();
        using RawClient raw = await f.Server.ConnectAsync();
        await raw.SendAsync($"GET /xrpc/{FirehoseXrpc.Nsid}?cursor={cursor} HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        RawResponse response = await raw.ReadResponseAsync();
        Assert.Equal(400, response.Status);
        Assert.Contains("InvalidRequest", response.Text);
        Assert.Equal(0, f.Firehose.SubscriberCount);
    }

    [Fact]
    public async Task Subscriber_cap_answers_503()
    {
        await using var f = new FirehoseFixture(new FirehoseOptions { MaxSubscribers = 1, RingCapacity = 64 });
        using FirehoseClient first = await f.SubscribeAsync();
        using RawClient raw = await f.Server.ConnectAsync();
        await raw.SendAsync($"GET /xrpc/{FirehoseXrpc.Nsid} HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        RawResponse response = await raw.ReadResponseAsync();
        Assert.Equal(503, response.Status);
    }

    [Fact]
    public async Task Restart_then_resume_by_cursor_loses_nothing()
    {
        await using var f = new FirehoseFixture();
        TestAccount a = await f.CreateAccountAsync();
        long resumeAt;
        using (FirehoseClient client = await f.SubscribeAsync("0"))
        {
            for (int i = 0; i < 5; i++)
                await f.PostAsync(a, $"a{i:D3}");
            List<FirehoseFrame> before = await client.ReceiveThroughAsync(1, f.Store.LastSeq);
            resumeAt = before[^1].Seq!.Value - 2; // the consumer processed only part of what it saw
        }
        await f.RestartAsync();
        using FirehoseClient resumed = await f.SubscribeAsync(resumeAt.ToString());
        for (int i = 0; i < 5; i++)
            await f.PostAsync(a, $"b{i:D3}");
        List<FirehoseFrame> after = await resumed.ReceiveThroughAsync(resumeAt + 1, f.Store.LastSeq);
        Assert.Equal(f.Store.LastSeq - resumeAt, after.Count);
    }

    [Fact]
    public async Task Stalled_subscriber_is_dropped_while_another_receives_everything()
    {
        await using var f = new FirehoseFixture(
            new FirehoseOptions { RingCapacity = 1024, SendStallTimeout = TimeSpan.FromMilliseconds(500), MaxLagEvents = 30, TickInterval = TimeSpan.FromMilliseconds(50) },
            configure: o => o.WebSockets.CloseTimeout = TimeSpan.FromMilliseconds(500));
        TestAccount a = await f.CreateAccountAsync();
        using FirehoseClient good = await f.SubscribeAsync();

        // The stalled consumer: a tiny receive buffer and never reads after the handshake.
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, f.Server.Port);
        using var stalled = new RawClient(socket);
        await stalled.SendAsync($"GET /xrpc/{FirehoseXrpc.Nsid} HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        Assert.Equal(101, (await stalled.ReadResponseAsync()).Status);
        Assert.Equal(2, f.Firehose.SubscriberCount);

        long start = f.Store.LastSeq;
        var received = Task.Run(() => good.ReceiveThroughAsync(start + 1, start + 60));
        for (int i = 0; i < 60; i++)
            await f.PostAsync(a, $"p{i:D3}", textLength: 200_000).WaitAsync(TimeSpan.FromSeconds(30)); // ~12 MB in all
        List<FirehoseFrame> frames = await received.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(60, frames.Count);

        for (int i = 0; i < 200 && f.Firehose.SubscriberCount > 1; i++)
            await Task.Delay(50);
        Assert.Equal(1, f.Firehose.SubscriberCount);
        Assert.True(f.Firehose.TooSlowCount >= 1);
        // The dropped consumer's connection ends: closed after what the socket buffers held, or reset (aborted).
        try
        {
            await stalled.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (IOException)
        {
        }
    }
}
