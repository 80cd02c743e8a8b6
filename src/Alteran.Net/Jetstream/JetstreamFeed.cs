using Alteran.Net.Firehose;
using Alteran.Storage;
using Alteran.Storage.Log;

namespace Alteran.Net.Jetstream;

/// <summary>
/// Derives the Jetstream event stream from the firehose: one background loop tails the sequencer's
/// <see cref="FrameRing"/> (falling back to the event log if it is ever lapped), converts each frame once
/// (<see cref="JetstreamFrameConverter"/>: JSON, plus the zstd frame while any subscriber compresses) and publishes the
/// batch into its own ring under the same seq. Subscribers keep a seq position in that ring exactly as
/// <c>subscribeRepos</c> subscribers do, so replay from the log and the cut-over to live have no gap and no duplicate.
/// <para>
/// Why derive from the already-encoded frames instead of having the sequencer publish a Jetstream form: the writer's
/// path (and <c>subscribeRepos</c> latency) stays untouched, the event log stays the single source of truth, and
/// replay (which can only read stored frames) runs the very same conversion as live.
/// </para>
/// </summary>
public sealed class JetstreamFeed : IDisposable
{
    private readonly Sequencer _sequencer;
    private readonly SeqRing<JetstreamBatch> _ring;
    private readonly JetstreamFrameConverter _converter = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _compressingSubscribers;

    /// <summary>Starts tailing <paramref name="sequencer"/> from its current head.</summary>
    public JetstreamFeed(Sequencer sequencer, int ringCapacity = 16_384, long ringByteBudget = 16L << 20)
    {
        ArgumentNullException.ThrowIfNull(sequencer);
        _sequencer = sequencer;
        long start = sequencer.Ring.Head;
        _ring = new SeqRing<JetstreamBatch>(ringCapacity, ringByteBudget, static b => b.Bytes, start);
        _loop = Task.Run(() => RunAsync(start + 1));
    }

    /// <summary>The ring of converted batches, keyed by firehose seq.</summary>
    public SeqRing<JetstreamBatch> Ring => _ring;

    /// <summary>The sequencer the feed tails.</summary>
    public Sequencer Sequencer => _sequencer;

    /// <summary>Registers a subscriber that wants zstd frames: events converted from now on carry one.</summary>
    public void AddCompressingSubscriber() => Interlocked.Increment(ref _compressingSubscribers);

    /// <summary>Unregisters a subscriber added with <see cref="AddCompressingSubscriber"/>.</summary>
    public void RemoveCompressingSubscriber() => Interlocked.Decrement(ref _compressingSubscribers);

    private bool Compress => Volatile.Read(ref _compressingSubscribers) > 0;

    private async Task RunAsync(long next)
    {
        FrameRing frames = _sequencer.Ring;
        CancellationToken stop = _stop.Token;
        bool published = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                switch (frames.TryRead(next, out byte[]? frame))
                {
                    case RingReadStatus.Ok:
                        _ring.Publish(next, ConvertOrSkip(next, frame!));
                        next++;
                        published = true;
                        break;
                    case RingReadStatus.Hole:
                        _ring.Publish(next, null);
                        next++;
                        published = true;
                        break;
                    case RingReadStatus.NotYet:
                        if (published)
                        {
                            published = false;
                            _ring.Signal(); // one wake-up per drained burst
                        }
                        Task signal = frames.NextSignal;
                        if (frames.Head < next && !stop.IsCancellationRequested)
                            await signal.WaitAsync(stop).ConfigureAwait(false);
                        break;
                    default:
                        next = CatchUpFromLog(next);
                        published = true;
                        break;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is ObjectDisposedException or StorageException)
            {
                break; // store closed under us: shutting down
            }
        }
    }

    // The feed must outlive any one bad event: the converter already skips undecodable frames and malformed records;
    // anything else unexpected about one event makes it an empty batch rather than stopping the stream.
    private JetstreamBatch ConvertOrSkip(long seq, byte[] frame)
    {
        try
        {
            return _converter.Convert(seq, frame, Compress);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new JetstreamBatch(seq, []);
        }
    }

    // The feed fell behind the firehose ring (a huge burst): convert from the event log; missing seqs are holes.
    private long CatchUpFromLog(long next)
    {
        AlteranStore store = _sequencer.Store;
        int count = 0;
        using (EventCursor events = store.ReadEvents(next - 1))
        {
            while (count < 1024 && events.MoveNext())
            {
                long seq = events.Seq;
                while (next < seq)
                    _ring.Publish(next++, null);
                _ring.Publish(seq, ConvertOrSkip(seq, events.Frame.ToArray()));
                next = seq + 1;
                count++;
            }
        }
        // Nothing logged beyond `next` but the firehose ring says lapped: skip what the log pruned.
        if (count == 0)
        {
            long tail = _sequencer.Ring.Tail;
            while (next < tail)
                _ring.Publish(next++, null);
        }
        return next;
    }

    /// <summary>Stops the loop.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
        _converter.Dispose();
        _ring.Signal();
        _stop.Dispose();
    }
}
