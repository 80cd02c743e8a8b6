using System.Buffers.Binary;
using Alteran.Storage.Rocks;

namespace Alteran.Storage.Log;

/// <summary>
/// Reads the event log in seq order from a cursor (firehose backfill). <see cref="Frame"/> is the stored frame,
/// valid until the next <see cref="MoveNext"/>. Only durable events are visible, and never one whose commit is
/// not: both are in the same atomic batch.
/// </summary>
public sealed class EventCursor : IDisposable
{
    private readonly RocksIterator _it;
    private readonly byte[] _start = new byte[KeyCodec.SeqLength];
    private bool _started;

    internal EventCursor(RocksDb db, long afterSeq, long untilSeq)
    {
        KeyCodec.WriteSeq(_start, Math.Max(0, afterSeq) + 1);
        Span<byte> upper = stackalloc byte[KeyCodec.SeqLength];
        KeyCodec.WriteSeq(upper, untilSeq == long.MaxValue ? long.MaxValue : untilSeq + 1);
        _it = db.NewIterator(ColumnFamily.Events, _start, upper);
    }

    /// <summary>The current event's seq.</summary>
    public long Seq => KeyCodec.ReadSeq(_it.Key);

    /// <summary>When the event was logged (unix ms).</summary>
    public long Time => BinaryPrimitives.ReadInt64BigEndian(_it.Value);

    /// <summary>The account the event concerns.</summary>
    public long AccountId => BinaryPrimitives.ReadInt64BigEndian(_it.Value[8..]);

    /// <summary>The encoded firehose frame.</summary>
    public ReadOnlySpan<byte> Frame => _it.Value[Rocks.WriteContext.EventHeaderLength..];

    /// <summary>Moves to the next event; false at the end of the log (or the requested range).</summary>
    public bool MoveNext()
    {
        if (_started) _it.Next();
        else
        {
            _started = true;
            _it.Seek(_start);
        }
        if (_it.Valid)
        {
            if (_it.Value.Length < Rocks.WriteContext.EventHeaderLength)
                throw new StorageException(StorageError.Corruption, "Bad event-log value.");
            return true;
        }
        _it.ThrowIfError();
        return false;
    }

    /// <inheritdoc/>
    public void Dispose() => _it.Dispose();
}
