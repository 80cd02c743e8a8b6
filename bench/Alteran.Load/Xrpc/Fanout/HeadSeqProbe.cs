
namespace Alteran.Load.Xrpc.Fanout;

/// <summary>
/// Finds the firehose's current seq: one raw subscriber (no cursor, so live only), one createRecord, and the seq of
/// the frame carrying that record's path. Bounded to 10 s.
/// </summary>
internal sealed class HeadSeqProbe : IFrameSink
{
    private readonly TaskCompletionSource<long> _seq = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _path = "";

    public void OnMessage(RawSubscriber subscriber, ReadOnlySpan<byte> head, long length, long now)
    {
        (long seq, string? path) = FrameHeadPath.Read(head);
        if (seq >= 0 && path == Volatile.Read(ref _path))
        {
            _seq.TrySetResult(seq);
        }
    }

    public static async Task<long> FindAsync(XrpcClient client, CancellationToken ct)
    {
        var probe = new HeadSeqProbe();
        await using SubscriberSet set = await SubscriberSet.ConnectAsync(client.BaseUri, cursor: null, 1, 1, probe, ct);
        if (set.Connected == 0)
        {
            throw new InvalidOperationException("subscribeRepos probe: " + set.FirstError);
        }

        await Task.Delay(200, ct); // let the subscription reach the live tail
        string rkey = PostFactory.NextTid();
        Volatile.Write(ref probe._path, PostFactory.Collection + "/" + rkey);
        XrpcResponse resp = await client.PostAsync("com.atproto.repo.createRecord", PostFactory.CreateRecordBody(client.Did, rkey), "application/json", ct);
        if (!resp.Ok)
        {
            throw new XrpcFailure(resp);
        }

        return await probe._seq.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
    }
}
