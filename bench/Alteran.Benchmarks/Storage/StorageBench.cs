using System.Buffers;
using System.Buffers.Binary;
using Alteran.Protocol;
using Alteran.Storage;
using Alteran.Storage.Log;
using Alteran.Storage.Repos;

namespace Alteran.Benchmarks.Storage;

/// <summary>Shared helpers: temp stores and a commit shaped like a real one (record + MST path + commit block).</summary>
internal static class StorageBench
{
    public static string NewDirectory() => Path.Combine(Path.GetTempPath(), "alteran-bench", Guid.NewGuid().ToString("N"));

    public static void Delete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>Roughly one createRecord: a ~300 B record, 4 MST nodes of ~400 B, a ~200 B commit, 4 removed nodes.</summary>
    public static PreparedCommit RealisticCommit(long account, long i, Random random, ref Cid previous)
    {
        var c = new PreparedCommit { AccountId = account, Rev = Alteran.Protocol.Syntax.Tid.FromTimestamp(1_700_000_000_000_000 + i, 0).ToString() };
        byte[] record = Bytes(random, 300, i);
        Cid recordCid = Cid.ForDagCbor(record);
        c.AddBlock(recordCid, record);
        for (int n = 0; n < 4; n++)
        {
            byte[] node = Bytes(random, 400, i * 10 + n);
            c.AddBlock(Cid.ForDagCbor(node), node);
            c.RemoveBlock(Cid.ForDagCbor(BitConverter.GetBytes(i * 10 + n - 10)));
        }
        byte[] commit = Bytes(random, 200, i);
        Cid commitCid = Cid.ForDagCbor(commit);
        c.AddBlock(commitCid, commit);
        c.Commit = commitCid;
        c.PutRecord("app.bsky.feed.post", "3l" + i.ToString("D11", System.Globalization.CultureInfo.InvariantCulture), recordCid);
        c.ExpectPrevious(previous);
        c.Event = new FakeFrame(1500);
        previous = commitCid;
        return c;
    }

    public static byte[] Bytes(Random random, int size, long tag)
    {
        var b = new byte[size];
        random.NextBytes(b);
        BinaryPrimitives.WriteInt64BigEndian(b, tag);
        return b;
    }
}

/// <summary>A frame-sized event: seq + filler (real frames come from Protocol.Sync).</summary>
internal sealed class FakeFrame(int size) : IEventEncoder
{
    public void Encode(long seq, IBufferWriter<byte> output)
    {
        Span<byte> s = output.GetSpan(size)[..size];
        s.Fill(0x42);
        BinaryPrimitives.WriteInt64BigEndian(s, seq);
        output.Advance(size);
    }
}
