using System.Buffers;
using Alteran.Protocol.Sync;
using Alteran.Storage.Log;

namespace Alteran.Net.Pds;

/// <summary>
/// Firehose <c>#identity</c> / <c>#account</c> events for the store's event log, encoded when the store assigns the
/// seq (time taken then, so times follow seq order). They reach <c>subscribeRepos</c> through the log; publishing
/// them live to connected subscribers is the firehose's job.
/// </summary>
public sealed class AccountEventEncoder : IEventEncoder
{
    private readonly string _did;
    private readonly string? _handle;
    private readonly bool _identity;
    private readonly TimeProvider _time;

    private AccountEventEncoder(string did, string? handle, bool identity, TimeProvider time)
    {
        _did = did;
        _handle = handle;
        _identity = identity;
        _time = time;
    }

    /// <summary>An <c>#identity</c> event (handle or DID document changed).</summary>
    public static AccountEventEncoder Identity(string did, string? handle, TimeProvider time) => new(did, handle, true, time);

    /// <summary>An <c>#account</c> event with <c>active: true</c>.</summary>
    public static AccountEventEncoder Active(string did, TimeProvider time) => new(did, null, false, time);

    /// <inheritdoc />
    public void Encode(long seq, IBufferWriter<byte> output)
    {
        DateTimeOffset now = _time.GetUtcNow();
        if (_identity)
            new IdentityEvent { Did = _did, Handle = _handle, Time = now }.WriteFrame(seq, output);
        else
            new AccountEvent { Did = _did, Active = true, Time = now }.WriteFrame(seq, output);
    }
}
