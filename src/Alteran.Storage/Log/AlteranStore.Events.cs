using System.Buffers.Binary;
using Alteran.Storage.Log;
using Alteran.Storage.Rocks;

namespace Alteran.Storage;

public sealed partial class AlteranStore
{
    /// <summary>
    /// Appends an event that changes no repo (<c>#identity</c>, <c>#account</c>) to the same log, with the next seq.
    /// Completes when durable. <paramref name="output"/>, if given, receives the stored frame.
    /// </summary>
    public Task<WriteResult> AppendEventAsync(long account, IEventEncoder encoder, EventBuffer? output = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        return Enqueue(new EventRequest(account, encoder, output));
    }

    /// <summary>Events with seq in <c>(afterSeq, untilSeq]</c>, in order.</summary>
    public EventCursor ReadEvents(long afterSeq, long untilSeq = long.MaxValue) => new(_db, afterSeq, untilSeq);

    /// <summary>The oldest seq still in the log, or 0 when it is empty.</summary>
    public long FirstSeq
    {
        get
        {
            using RocksIterator it = _db.NewIterator(ColumnFamily.Events, default, default);
            it.SeekToFirst();
            long seq = it.Valid ? KeyCodec.ReadSeq(it.Key) : 0;
            it.ThrowIfError();
            return seq;
        }
    }

    /// <summary>
    /// Drops events beyond the retention window (<see cref="StoreOptions.EventLogMaxCount"/> and
    /// <see cref="StoreOptions.EventLogMaxAge"/>) with one range deletion. Looks at most <paramref name="maxScan"/>
    /// events for the age limit, so a call is bounded; call periodically. Never touches events newer than the
    /// window, so it does not conflict with the writer (whose appends are always above the cut).
    /// Returns the new first seq.
    /// </summary>
    public long PruneEvents(int maxScan = 100_000)
    {
        long last = LastSeq;
        long cutAfter = 0; // delete seq <= cutAfter
        if (_options.EventLogMaxCount > 0 && last > _options.EventLogMaxCount)
            cutAfter = last - _options.EventLogMaxCount;
        if (_options.EventLogMaxAge > TimeSpan.Zero)
        {
            long cutoffMs = _options.UnixTimeMilliseconds() - (long)_options.EventLogMaxAge.TotalMilliseconds;
            using RocksIterator it = _db.NewIterator(ColumnFamily.Events, default, default);
            it.SeekToFirst();
            for (int i = 0; it.Valid && i < maxScan; i++, it.Next())
            {
                if (BinaryPrimitives.ReadInt64BigEndian(it.Value) >= cutoffMs) // strictly older than the window goes
                    break;
                cutAfter = Math.Max(cutAfter, KeyCodec.ReadSeq(it.Key));
            }
            it.ThrowIfError();
        }
        if (cutAfter > 0)
        {
            // Never drop the newest event: meta.last_seq also holds it, but keeping one event makes the
            // "first seq" of the log meaningful for backfill cursors.
            cutAfter = Math.Min(cutAfter, last - 1);
            if (cutAfter > 0)
                DeleteEventsThrough(cutAfter);
        }
        return FirstSeq;
    }

    private unsafe void DeleteEventsThrough(long seq)
    {
        Span<byte> start = stackalloc byte[KeyCodec.SeqLength];
        Span<byte> end = stackalloc byte[KeyCodec.SeqLength];
        KeyCodec.WriteSeq(start, 0);
        KeyCodec.WriteSeq(end, seq + 1);
        nint wb = RocksNative.rocksdb_writebatch_create();
        _db.Enter(); // the column family handle stays valid while the batch is built
        try
        {
            fixed (byte* s = start)
            fixed (byte* e = end)
                RocksNative.rocksdb_writebatch_delete_range_cf(wb, _db.Cf(ColumnFamily.Events), s, 8, e, 8);
            _db.Write(wb, sync: false); // losing a prune in a crash only means pruning again
        }
        finally
        {
            RocksNative.rocksdb_writebatch_destroy(wb);
            _db.Exit();
        }
    }
}
