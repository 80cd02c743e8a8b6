using System.Diagnostics;
using System.Net;

namespace Alteran.Load.Xrpc.Fanout;

/// <summary>
/// N <see cref="RawSubscriber"/>s to subscribeRepos, each bound to a loopback source address (<c>perSource</c> per
/// address), connected in batches of 100, each with its own receive loop. Disposing closes every socket.
/// </summary>
internal sealed class SubscriberSet : IAsyncDisposable
{
    private readonly RawSubscriber[] _subs;
    private readonly List<Task> _loops = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[] _slab;
    public const int BufferBytes = 4096;

    private SubscriberSet(RawSubscriber[] subs)
    {
        _subs = subs;
        // One pinned slab, a 4 KiB receive buffer per subscriber (40 MiB for 10,000): no per-read rent, no GC moves.
        _slab = GC.AllocateUninitializedArray<byte>(subs.Length * BufferBytes, pinned: true);
    }

    public IReadOnlyList<RawSubscriber> All => _subs;

    public int Connected { get; private set; }

    public string? FirstError { get; private set; }

    public double ConnectSeconds { get; private set; }

    public static async Task<SubscriberSet> ConnectAsync(Uri baseUri, long? cursor, int count, int perSource, IFrameSink sink, CancellationToken ct)
    {
        IPAddress address = baseUri.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(baseUri.Host.Trim('[', ']'));
        var server = new IPEndPoint(address, baseUri.Port);
        string path = baseUri.AbsolutePath.TrimEnd('/') + "/xrpc/com.atproto.sync.subscribeRepos" + (cursor is long c ? "?cursor=" + c : "");
        var subs = new RawSubscriber[count];
        var set = new SubscriberSet(subs);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i += 100)
        {
            int end = Math.Min(count, i + 100);
            var batch = new Task<bool>[end - i];
            for (int j = i; j < end; j++)
            {
                subs[j] = new RawSubscriber(j, SourceAddresses.For(j, perSource), sink);
                batch[j - i] = subs[j].ConnectAsync(server, path, baseUri.Authority, ct);
            }

            bool[] ok = await Task.WhenAll(batch);
            for (int j = i; j < end; j++)
            {
                if (ok[j - i])
                {
                    set.Connected++;
                    set._loops.Add(subs[j].ReceiveLoopAsync(set._slab.AsMemory(j * BufferBytes, BufferBytes), set._stop.Token));
                }
                else
                {
                    set.FirstError ??= subs[j].Error;
                }
            }
        }

        set.ConnectSeconds = clock.Elapsed.TotalSeconds;
        return set;
    }

    public long TotalMessages()
    {
        long n = 0;
        foreach (RawSubscriber s in _subs)
        {
            n += Volatile.Read(ref s.Messages);
        }

        return n;
    }

    public long TotalBytes()
    {
        long n = 0;
        foreach (RawSubscriber s in _subs)
        {
            n += Volatile.Read(ref s.Bytes);
        }

        return n;
    }

    /// <summary>Subscribers closed by the server (or dropped) after connecting.</summary>
    public int Closed()
    {
        int n = 0;
        foreach (RawSubscriber s in _subs)
        {
            if (s.Error is not null && !s.Error.StartsWith("connect", StringComparison.Ordinal) && !s.Error.StartsWith("upgrade", StringComparison.Ordinal))
            {
                n++;
            }
        }

        return n;
    }

    public string? FirstCloseReason()
    {
        foreach (RawSubscriber s in _subs)
        {
            if (s.Error is not null)
            {
                return s.Error;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (RawSubscriber s in _subs)
        {
            s?.Dispose();
        }

        await Task.WhenAll(_loops);
        _stop.Dispose();
    }
}
