using System.Buffers.Binary;
using Alteran.Protocol;
using Alteran.Protocol.Syntax;

namespace Alteran.Benchmarks.Protocol.Mst;

/// <summary>Realistic keys (<c>app.bsky.feed.post/&lt;tid&gt;</c>) and record CIDs from hashed counters.</summary>
internal static class MstBenchData
{
    private const long Start = 1_700_000_000_000_000; // µs since epoch

    public static byte[] PostKey(Random rng, ref long clock)
    {
        // Posts are minutes to hours apart; a TID carries the microsecond time and a clock id.
        clock += rng.NextInt64(1, 3_600_000_000);
        var tid = Tid.FromTimestamp(Start + clock, rng.Next(32)).ToString();
        return System.Text.Encoding.ASCII.GetBytes("app.bsky.feed.post/" + tid);
    }

    public static byte[][] PostKeys(int count, int seed)
    {
        var rng = new Random(seed);
        long clock = 0;
        var keys = new byte[count][];
        for (int i = 0; i < count; i++)
            keys[i] = PostKey(rng, ref clock);
        return keys;
    }

    /// <summary>A random key anywhere in the key space (not appended at the end).</summary>
    public static byte[] RandomPostKey(Random rng)
    {
        long t = Start + (long)(rng.NextDouble() * 200_000_000_000_000);
        return System.Text.Encoding.ASCII.GetBytes("app.bsky.feed.post/" + Tid.FromTimestamp(t, rng.Next(1024)));
    }

    public static Cid RecordCid(long n)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(b, n);
        return Cid.ForDagCbor(b);
    }
}
