using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Alteran.Protocol;
using Alteran.Storage.Log;
using Alteran.Storage.Repos;

namespace Alteran.Storage.Tests;

/// <summary>A store in a fresh temp directory, deleted on dispose; <see cref="Reopen"/> closes and opens it again.</summary>
internal sealed class TempStore : IDisposable
{
    public TempStore(StoreOptions? options = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "alteran-storage-tests", Guid.NewGuid().ToString("N"));
        Options = options ?? new StoreOptions { BlockCacheBytes = 8 << 20, MemtableBudgetBytes = 8 << 20, WriteBufferBytes = 2 << 20 };
        Store = AlteranStore.Open(Directory, Options);
    }

    public string Directory { get; }

    public StoreOptions Options { get; }

    public AlteranStore Store { get; private set; }

    public AlteranStore Reopen()
    {
        Store.Dispose();
        Store = AlteranStore.Open(Directory, Options);
        return Store;
    }

    public void Dispose()
    {
        Store.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A stand-in firehose frame: "EVT" | seq (8, BE) | payload. Real frames come from Protocol.Sync.</summary>
internal sealed class TestEvent(byte[] payload) : IEventEncoder
{
    public long EncodedSeq { get; private set; }

    public void Encode(long seq, IBufferWriter<byte> output)
    {
        EncodedSeq = seq;
        Span<byte> span = output.GetSpan(11 + payload.Length);
        "EVT"u8.CopyTo(span);
        BinaryPrimitives.WriteInt64BigEndian(span[3..], seq);
        payload.CopyTo(span[11..]);
        output.Advance(11 + payload.Length);
    }

    public static long SeqOf(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadInt64BigEndian(frame[3..]);

    public static ReadOnlySpan<byte> PayloadOf(ReadOnlySpan<byte> frame) => frame[11..];
}

/// <summary>Throws from the encoder: models a bug in frame encoding.</summary>
internal sealed class FailingEvent : IEventEncoder
{
    public void Encode(long seq, IBufferWriter<byte> output)
    {
        output.Write("partial"u8);
        throw new InvalidOperationException("encoder failed");
    }
}

internal static class Commits
{
    /// <summary>The n-th test rev: a valid TID (revs are TIDs; the store indexes blocks by rev), increasing with n.</summary>
    public static string Rev(long n) => Alteran.Protocol.Syntax.Tid.FromTimestamp(1_700_000_000_000_000 + n, 0).ToString();

    /// <summary>A commit with one record block and a fake commit block, putting app.test.post/rkey.</summary>
    public static PreparedCommit Simple(long account, string rkey, string text, out Cid recordCid, out Cid commitCid, string collection = "app.test.post")
    {
        byte[] record = Encoding.UTF8.GetBytes($"record {account} {collection} {rkey} {text}");
        recordCid = Cid.ForDagCbor(record);
        byte[] commitBlock = Encoding.UTF8.GetBytes($"commit {account} {rkey} {recordCid}");
        commitCid = Cid.ForDagCbor(commitBlock);
        var c = new PreparedCommit { AccountId = account, Commit = commitCid, Rev = "3jzfcijpj2z2a" };
        c.AddBlock(recordCid, record);
        c.AddBlock(commitCid, commitBlock);
        c.PutRecord(collection, rkey, recordCid);
        c.Event = new TestEvent(commitCid.ToBytes());
        return c;
    }
}
