using System.Globalization;
using Alteran.Protocol;
using Alteran.Protocol.Car;
using Alteran.Protocol.Sync;

namespace Alteran.Net.Jetstream;

/// <summary>
/// Turns stored firehose frames into Jetstream events: each record op of a <c>#commit</c> becomes a commit event
/// (record converted from its block in the commit's CAR), <c>#identity</c> and <c>#account</c> map one to one,
/// <c>#sync</c> gives nothing (Jetstream v1 has no such event).
/// <para>
/// <c>time_us</c> is derived from the frame's own <c>time</c> (assigned when the event was sequenced, so it follows
/// seq order): <c>max(time in µs, previous time_us + 1)</c>, strictly increasing. Only the previous event matters,
/// and frame times are in whole milliseconds, so any run of events converges to the same values within one
/// millisecond of distinct times: a replay started a little before a cursor reproduces the live feed's values.
/// </para>
/// Not thread-safe: one per converting loop (the feed, or a replaying subscriber).
/// </summary>
public sealed class JetstreamFrameConverter : IDisposable
{
    private readonly JetstreamEncoder _encoder = new();
    private readonly List<JetstreamEncodedEvent> _events = [];
    private long _lastTimeUs;

    /// <summary>The last <c>time_us</c> given out (0 before the first event).</summary>
    public long LastTimeUs => _lastTimeUs;

    /// <summary>
    /// Converts the frame stored for <paramref name="seq"/>; with <paramref name="compress"/> each event also gets
    /// its zstd frame. A frame that cannot be decoded, and ops whose record is missing or malformed, give no events
    /// (as Jetstream skips them).
    /// </summary>
    public JetstreamBatch Convert(long seq, ReadOnlyMemory<byte> frame, bool compress)
    {
        _events.Clear();
        if (!FirehoseFrame.TryDecode(frame, out FirehoseFrame? decoded, out _, FirehoseDecodeMode.Lenient) || decoded is null)
            return new JetstreamBatch(seq, []);
        if (decoded.Commit is { } commit)
        {
            AddCommit(commit, compress);
        }
        else if (decoded.Identity is { } identity)
        {
            _events.Add(_encoder.CreateIdentityEvent(new JetstreamIdentity
            {
                Did = identity.Did,
                TimeUs = NextTime(identity.Time),
                Handle = identity.Handle,
                Seq = identity.Seq,
                Time = identity.Time,
            }, compress));
        }
        else if (decoded.Account is { } account)
        {
            _events.Add(_encoder.CreateAccountEvent(new JetstreamAccount
            {
                Did = account.Did,
                TimeUs = NextTime(account.Time),
                Active = account.Active,
                Status = account.Status,
                Seq = account.Seq,
                Time = account.Time,
            }, compress));
        }
        return new JetstreamBatch(seq, _events.Count == 0 ? [] : _events.ToArray());
    }

    private void AddCommit(CommitMessage commit, bool compress)
    {
        ReadOnlySpan<byte> car = commit.Blocks.Span;
        foreach (RepoOpRef op in commit.Ops)
        {
            int slash = op.Path.IndexOf('/');
            if (slash <= 0)
                continue;
            JetstreamOperation operation = op.Action switch
            {
                RepoOpAction.Create => JetstreamOperation.Create,
                RepoOpAction.Update => JetstreamOperation.Update,
                _ => JetstreamOperation.Delete,
            };
            ReadOnlySpan<byte> record = default;
            if (operation != JetstreamOperation.Delete && !TryFindBlock(car, op.Cid, out record))
                continue; // record not in the diff: nothing to show (Jetstream logs and skips)
            try
            {
                _events.Add(_encoder.CreateCommitEvent(new JetstreamCommit
                {
                    Did = commit.Repo,
                    TimeUs = PeekTime(commit.Time),
                    Rev = commit.Rev,
                    Operation = operation,
                    Collection = op.Path.AsSpan(0, slash),
                    RecordKey = op.Path.AsSpan(slash + 1),
                    Record = record,
                    Cid = op.Cid,
                }, compress));
                NextTime(commit.Time);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or OverflowException)
            {
                // A malformed record block: skip the op (the encoder leaves no partial output).
            }
        }
    }

    private static bool TryFindBlock(ReadOnlySpan<byte> car, Cid cid, out ReadOnlySpan<byte> block)
    {
        block = default;
        if (car.IsEmpty || cid.IsEmpty)
            return false;
        try
        {
            var reader = new CarSpanReader(car);
            while (reader.TryReadBlock(out Cid blockCid, out ReadOnlySpan<byte> data))
            {
                if (blockCid.Equals(cid))
                {
                    block = data;
                    return true;
                }
            }
        }
        catch (CarException)
        {
        }
        return false;
    }

    // The time_us the next event gets, without taking it (an op that fails to encode must not use up a value).
    private long PeekTime(string time) => Math.Max(ParseUs(time), _lastTimeUs + 1);

    private long NextTime(string time) => _lastTimeUs = PeekTime(time);

    private static long ParseUs(string time) =>
        DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset t)
            ? (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10
            : 0;

    /// <summary>Releases the encoder.</summary>
    public void Dispose() => _encoder.Dispose();
}
