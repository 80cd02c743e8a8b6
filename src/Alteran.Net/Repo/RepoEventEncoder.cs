using System.Buffers;
using Alteran.Protocol;
using Alteran.Protocol.Sync;
using Alteran.Storage.Log;

namespace Alteran.Net.Repo;

/// <summary>
/// Encodes a repo commit's firehose event once the store assigns its seq: <c>#commit</c>, or <c>#sync</c> when the
/// commit is too large for one (<see cref="FirehoseLimits"/>). The event time is taken at sequencing, on the
/// store's writer thread, so times follow seq order.
/// </summary>
internal sealed class RepoEventEncoder : IEventEncoder
{
    private readonly string _did;
    private readonly Cid _commit;
    private readonly string _rev;
    private readonly string? _since;
    private readonly ReadOnlyMemory<byte> _blocks;
    private readonly RepoOpRef[]? _ops;
    private readonly Cid _prevData;
    private readonly Func<DateTimeOffset> _clock;

    private RepoEventEncoder(string did, Cid commit, string rev, string? since, ReadOnlyMemory<byte> blocks,
        RepoOpRef[]? ops, Cid prevData, Func<DateTimeOffset> clock)
    {
        _did = did;
        _commit = commit;
        _rev = rev;
        _since = since;
        _blocks = blocks;
        _ops = ops;
        _prevData = prevData;
        _clock = clock;
    }

    /// <summary>True for <c>#sync</c>.</summary>
    public bool IsSync => _ops is null;

    public static RepoEventEncoder Commit(string did, Cid commit, string rev, string? since, ReadOnlyMemory<byte> blocks,
        RepoOpRef[] ops, Cid prevData, Func<DateTimeOffset> clock) =>
        new(did, commit, rev, since, blocks, ops, prevData, clock);

    public static RepoEventEncoder Sync(string did, Cid commit, string rev, ReadOnlyMemory<byte> commitCar, Func<DateTimeOffset> clock) =>
        new(did, commit, rev, null, commitCar, null, default, clock);

    public void Encode(long seq, IBufferWriter<byte> output)
    {
        if (_ops is null)
        {
            new SyncEvent { Did = _did, Blocks = _blocks, Rev = _rev, Time = _clock() }.WriteFrame(seq, output);
            return;
        }
        new CommitEvent
        {
            Repo = _did,
            Commit = _commit,
            Rev = _rev,
            Since = _since,
            Blocks = _blocks,
            Ops = _ops,
            PrevData = _prevData,
            Time = _clock(),
        }.WriteFrame(seq, output);
    }
}
