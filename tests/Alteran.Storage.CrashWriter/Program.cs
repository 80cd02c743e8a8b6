using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Alteran.Protocol;
using Alteran.Storage;
using Alteran.Storage.Log;
using Alteran.Storage.Repos;

namespace Alteran.Storage.CrashWriter;

/// <summary>
/// <c>CrashWriter &lt;store dir&gt; &lt;run id&gt; &lt;writers&gt;</c>: each writer owns account <c>w</c> and applies
/// an endless chain of commits (one record, one commit block replacing the previous one, one event). After each
/// acknowledged commit it prints <c>ACK seq account rkey recordCid commitCid</c>, so everything printed is durable.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        string dir = args[0];
        string run = args[1];
        int writers = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
        var options = new StoreOptions { BlockCacheBytes = 4 << 20, MemtableBudgetBytes = 2 << 20, WriteBufferBytes = 256 << 10 };
        using AlteranStore store = AlteranStore.Open(dir, options);
        Console.Out.WriteLine("OPEN " + store.LastSeq);
        var tasks = new Task[writers];
        for (int w = 0; w < writers; w++)
        {
            long account = w + 1;
            tasks[w] = Task.Run(() => WriteChain(store, account, run));
        }
        await Task.WhenAll(tasks);
        return 0;
    }

    private static async Task WriteChain(AlteranStore store, long account, string run)
    {
        var random = new Random(HashCode.Combine(account, run));
        Cid previous = store.TryGetRepoRoot(account, out RepoRoot root) ? root.Commit : default;
        for (int i = 0; i < 1_000_000; i++)
        {
            string rkey = $"{run}-{i:D6}";
            byte[] record = new byte[100 + random.Next(2000)];
            random.NextBytes(record);
            Encoding.ASCII.GetBytes(rkey).CopyTo(record, 0);
            Cid recordCid = Cid.ForDagCbor(record);
            byte[] commitBlock = new byte[Cid.ByteLength * 2 + 8];
            BinaryPrimitives.WriteInt64BigEndian(commitBlock, account);
            if (!previous.IsEmpty) previous.WriteTo(commitBlock.AsSpan(8));
            recordCid.WriteTo(commitBlock.AsSpan(8 + Cid.ByteLength));
            Cid commitCid = Cid.ForDagCbor(commitBlock);

            var c = new PreparedCommit { AccountId = account, Commit = commitCid, Rev = Alteran.Protocol.Syntax.Tid.FromTimestamp(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000 + i % 1000, 0).ToString() };
            c.ExpectPrevious(previous);
            c.AddBlock(recordCid, record);
            c.AddBlock(commitCid, commitBlock);
            if (!previous.IsEmpty) c.RemoveBlock(previous);
            c.PutRecord("app.test.crash", rkey, recordCid);
            c.Event = new CrashEvent(account, commitCid, recordCid, rkey);
            WriteResult r = await store.ApplyCommitAsync(c);
            Console.Out.WriteLine($"ACK {r.Seq} {account} {rkey} {recordCid} {commitCid}");
            previous = commitCid;
        }
    }
}

/// <summary>Frame: "EVT" | seq(8) | account(8) | commit cid(36) | record cid(36) | rkey.</summary>
internal sealed class CrashEvent(long account, Cid commit, Cid record, string rkey) : IEventEncoder
{
    public void Encode(long seq, IBufferWriter<byte> output)
    {
        int length = 3 + 8 + 8 + 2 * Cid.ByteLength + rkey.Length;
        Span<byte> s = output.GetSpan(length);
        "EVT"u8.CopyTo(s);
        BinaryPrimitives.WriteInt64BigEndian(s[3..], seq);
        BinaryPrimitives.WriteInt64BigEndian(s[11..], account);
        commit.WriteTo(s[19..]);
        record.WriteTo(s[(19 + Cid.ByteLength)..]);
        Encoding.ASCII.GetBytes(rkey, s[(19 + 2 * Cid.ByteLength)..]);
        output.Advance(length);
    }
}
