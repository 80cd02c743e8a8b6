using System.Net.WebSockets;
using Alteran.Net.Firehose;
using Alteran.Net.Tests.Firehose;
using Alteran.Protocol;
using Alteran.Protocol.Car;
using Alteran.Protocol.Repo;
using Alteran.Protocol.Sync;

namespace Alteran.Net.Tests.Pds;

/// <summary>
/// The composed PDS end to end: account creation, HTTP writes and a handle change all reach a subscribeRepos
/// client, in seq order with no gap, each frame strict-valid and each commit signed by the account key.
/// </summary>
public sealed class PdsFirehoseTests
{
    [Fact]
    public async Task Creation_writes_and_handle_changes_reach_subscribers_in_order()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        var ws = new ClientWebSocket();
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            await ws.ConnectAsync(new Uri($"ws://{host.Http.BaseAddress!.Authority}/xrpc/{FirehoseXrpc.Nsid}?cursor=0"), cts.Token);
        using var client = new FirehoseClient(ws);

        // Replay from the log: the reference's creation sequence.
        List<FirehoseFrame> creation = await client.ReceiveThroughAsync(1, 4);
        Assert.Equal([FirehoseMessageKind.Identity, FirehoseMessageKind.Account, FirehoseMessageKind.Commit, FirehoseMessageKind.Sync],
            creation.Select(f => f.Kind).ToArray());
        Assert.Null(creation[2].Commit!.Since);

        // Live: two HTTP writes, then a handle change (logged straight into the store, no repo sink).
        (string access, _) = await host.LoginOkAsync();
        for (int i = 0; i < 2; i++)
        {
            Reply r = await host.PostAsync("xrpc/com.atproto.repo.createRecord",
                $$$"""{"repo":"{{{host.Pds.Did}}}","collection":"app.bsky.feed.post","record":{"$type":"app.bsky.feed.post","text":"hello {{{i}}}","createdAt":"2026-11-24T17:00:00.000Z"}}""",
                access);
            Assert.Equal(200, r.Status);
        }
        Reply handle = await host.PostAsync("xrpc/com.atproto.identity.updateHandle", """{"handle":"bob.test"}""", access);
        Assert.Equal(200, handle.Status);

        List<FirehoseFrame> live = await client.ReceiveThroughAsync(5, 7);
        Assert.Equal([FirehoseMessageKind.Commit, FirehoseMessageKind.Commit, FirehoseMessageKind.Identity], live.Select(f => f.Kind).ToArray());
        Assert.Equal("bob.test", live[2].Identity!.Handle);

        // Each commit chains to the previous rev and is signed by the account key.
        string? previousRev = creation[2].Commit!.Rev;
        foreach (CommitMessage c in live.Take(2).Select(f => f.Commit!))
        {
            Assert.Equal(host.Pds.Did, c.Repo);
            Assert.Equal(previousRev, c.Since);
            previousRev = c.Rev;
            Assert.Single(c.Ops);
            var reader = new CarSpanReader(c.Blocks.Span);
            byte[]? commitBlock = null;
            while (reader.TryReadBlock(out Cid cid, out ReadOnlySpan<byte> block))
                if (cid == c.Commit)
                    commitBlock = block.ToArray();
            Assert.NotNull(commitBlock);
            Assert.True(Commit.Decode(commitBlock).VerifySignature(host.Pds.SigningKey.PublicKey));
        }
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
    }

    [Fact]
    public async Task A_handle_change_is_published_at_once_not_by_the_gap_check()
    {
        // With the gap check an hour away, the #identity frame can only arrive if updateHandle publishes it itself.
        var firehose = new FirehoseOptions { GapTimeout = TimeSpan.FromHours(1), TickInterval = TimeSpan.FromHours(1) };
        await using PdsTestHost host = await PdsTestHost.StartAsync(firehose: firehose);
        (string access, _) = await host.LoginOkAsync();
        var ws = new ClientWebSocket();
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            await ws.ConnectAsync(new Uri($"ws://{host.Http.BaseAddress!.Authority}/xrpc/{FirehoseXrpc.Nsid}"), cts.Token);
        using var client = new FirehoseClient(ws);
        // A commit first (the repo publishes its own events): once its frame arrives the subscriber is surely live.
        Reply post = await host.PostAsync("xrpc/com.atproto.repo.createRecord",
            $$$"""{"repo":"{{{host.Pds.Did}}}","collection":"app.bsky.feed.post","record":{"$type":"app.bsky.feed.post","text":"live","createdAt":"2026-11-24T17:00:00.000Z"}}""",
            access);
        Assert.Equal(200, post.Status);
        long head = host.Pds.Store.LastSeq;
        Assert.Equal(FirehoseMessageKind.Commit, (await client.ReceiveThroughAsync(head, head))[0].Kind);

        Assert.Equal(200, (await host.PostAsync("xrpc/com.atproto.identity.updateHandle", """{"handle":"carol.test"}""", access)).Status);
        List<FirehoseFrame> live = await client.ReceiveThroughAsync(head + 1, head + 1);
        Assert.Equal(FirehoseMessageKind.Identity, live[^1].Kind);
        Assert.Equal("carol.test", live[^1].Identity!.Handle);
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
    }
}
