using System.Buffers;
using Alteran.Net.Repo;
using Alteran.Protocol;
using Alteran.Protocol.Car;
using Alteran.Protocol.Cbor;
using Alteran.Protocol.Crypto;
using Alteran.Protocol.Repo;
using Alteran.Protocol.Sync;
using Alteran.Storage;
using Alteran.Storage.Accounts;
using Alteran.Storage.Log;

namespace Alteran.Net.Tests.Repo;

/// <summary>A real store in a temp directory with a <see cref="RepoService"/>; deleted on dispose.</summary>
internal sealed class RepoFixture : IDisposable
{
    public RepoFixture(RepoServiceOptions? options = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "alteran-repo-tests", Guid.NewGuid().ToString("N"));
        Options = options;
        Store = AlteranStore.Open(Directory, StoreOptions);
        Service = new RepoService(Store, options);
    }

    public static StoreOptions StoreOptions => new() { BlockCacheBytes = 8 << 20, MemtableBudgetBytes = 8 << 20, WriteBufferBytes = 2 << 20 };

    public string Directory { get; }

    public RepoServiceOptions? Options { get; }

    public AlteranStore Store { get; private set; }

    public RepoService Service { get; private set; }

    /// <summary>Closes and reopens the store with a fresh service (a restart).</summary>
    public void Reopen(RepoServiceOptions? options = null)
    {
        Store.Dispose();
        Store = AlteranStore.Open(Directory, StoreOptions);
        Service = new RepoService(Store, options);
    }

    /// <summary>Creates an account row and its repo; returns the account.</summary>
    public async Task<TestAccount> CreateAccountAsync(bool announce = true)
    {
        string did = "did:plc:" + Base32.Encode(Guid.NewGuid().ToByteArray())[..24];
        var key = PrivateKey.Generate(KeyAlgorithm.K256);
        WriteResult created = await Store.CreateAccountAsync(new AccountRow { Did = did });
        var account = new TestAccount(created.AccountId, did, key);
        await Service.CreateRepoAsync(account.Id, did, key, announce);
        return account;
    }

    public void Dispose()
    {
        Store.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

internal sealed record TestAccount(long Id, string Did, PrivateKey Key);

internal static class RepoTestData
{
    public const string Posts = "app.bsky.feed.post";
    public const string Likes = "app.bsky.feed.like";

    /// <summary>A small lexicon-shaped record: {$type, text, createdAt}.</summary>
    public static byte[] Record(string collection, string text, Cid? blob = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new DagCborWriter(buffer);
        w.WriteMapHeader(blob is null ? 3 : 4);
        w.WriteText("text"u8);
        w.WriteText(text);
        w.WriteText("$type"u8);
        w.WriteText(collection);
        if (blob is { } b)
        {
            // {"image": {"$type": "blob", "ref": link, "mimeType": ..., "size": ...}}
            w.WriteText("image"u8);
            w.WriteMapHeader(4);
            w.WriteText("ref"u8);
            w.WriteCid(b);
            w.WriteText("size"u8);
            w.WriteInt(3);
            w.WriteText("$type"u8);
            w.WriteText("blob"u8);
            w.WriteText("mimeType"u8);
            w.WriteText("image/png"u8);
        }
        w.WriteText("createdAt"u8);
        w.WriteText("2024-01-01T00:00:00.000Z"u8);
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>All events in the log, decoded strictly.</summary>
    public static List<FirehoseFrame> Events(AlteranStore store, long afterSeq = 0)
    {
        var frames = new List<FirehoseFrame>();
        using EventCursor cursor = store.ReadEvents(afterSeq);
        while (cursor.MoveNext())
        {
            FirehoseFrame frame = FirehoseFrame.Decode(cursor.Frame.ToArray());
            Assert.Equal(cursor.Seq, frame.Seq);
            frames.Add(frame);
        }
        return frames;
    }

    /// <summary>Parses a CAR fully, checking every block's hash; returns the roots and the blocks.</summary>
    public static (Cid[] Roots, BlockMap Blocks) ParseCar(ReadOnlySpan<byte> car)
    {
        var reader = new CarSpanReader(car);
        var blocks = new BlockMap();
        while (reader.TryReadBlock(out Cid cid, out ReadOnlySpan<byte> data))
        {
            Assert.Equal(cid, Cid.Compute(cid.Codec, data));
            blocks.Add(cid, data.ToArray());
        }
        Assert.Equal(car.Length, reader.BytesConsumed);
        return ([.. reader.Header.Roots], blocks);
    }

    public static List<RepoOp> ToRepoOps(RepoOpRef[] ops)
    {
        var result = new List<RepoOp>(ops.Length);
        foreach (RepoOpRef op in ops)
        {
            WriteAction action = op.Action switch
            {
                RepoOpAction.Create => WriteAction.Create,
                RepoOpAction.Update => WriteAction.Update,
                _ => WriteAction.Delete,
            };
            result.Add(new RepoOp(action, op.Path, op.Cid.IsEmpty ? null : op.Cid, op.Prev.IsEmpty ? null : op.Prev));
        }
        return result;
    }
}
