using System.Buffers;
using System.Text;
using Alteran.Protocol.Car;
using Alteran.Protocol.Cbor;
using Alteran.Protocol.Sync;
using Alteran.Protocol.Tests.Cbor;

namespace Alteran.Protocol.Tests.Sync;

/// <summary>Sample events built from real parts: real CIDs of real DAG-CBOR blocks, a real CAR from CarWriter.</summary>
internal static class FirehoseTestData
{
    public const string Did = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";
    public const string Rev = "3l3qo2vutsw2b";
    public const string Since = "3l3qo2vuowo2b";
    public static readonly DateTimeOffset Time = new(2024, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    public const string TimeText = "2024-01-02T03:04:05.678Z";

    /// <summary>A DAG-CBOR block with a distinct content per <paramref name="n"/>.</summary>
    public static byte[] Block(int n, int padding = 0)
    {
        var map = CborTestValues.NewMap();
        map["n"] = (long)n;
        map["pad"] = new byte[padding];
        return CborTestValues.Encode(map);
    }

    public static Cid CidOf(int n) => Cid.ForDagCbor(Block(n));

    /// <summary>A CAR rooted at a fake commit block, plus <paramref name="extraBlocks"/> more; returns the CAR and the root.</summary>
    public static (byte[] Car, Cid Commit) CarOf(int seed, int extraBlocks = 1, int padding = 0)
    {
        byte[] commitBlock = Block(seed, padding);
        Cid commit = Cid.ForDagCbor(commitBlock);
        var buffer = new ArrayBufferWriter<byte>();
        var car = new CarWriter(buffer);
        car.WriteHeader([commit]);
        car.WriteBlock(commit, commitBlock);
        for (int i = 1; i <= extraBlocks; i++)
        {
            byte[] b = Block(seed * 1000 + i);
            car.WriteBlock(Cid.ForDagCbor(b), b);
        }
        return (buffer.WrittenSpan.ToArray(), commit);
    }

    public static RepoOpRef[] Ops(int count)
    {
        var ops = new RepoOpRef[count];
        for (int i = 0; i < count; i++)
        {
            string path = $"app.bsky.feed.post/3l3qo2vut{i:D4}";
            ops[i] = (i % 3) switch
            {
                0 => RepoOpRef.Create(path, CidOf(10_000 + i)),
                1 => RepoOpRef.Update(path, CidOf(20_000 + i), CidOf(30_000 + i)),
                _ => RepoOpRef.Delete(path, CidOf(40_000 + i)),
            };
        }
        return ops;
    }

    public static CommitEvent Commit(int ops = 3, bool first = false, int padding = 0)
    {
        (byte[] car, Cid commit) = CarOf(1, padding: padding);
        return new CommitEvent
        {
            Repo = Did,
            Commit = commit,
            Rev = Rev,
            Since = first ? null : Since,
            Blocks = car,
            Ops = Ops(ops),
            PrevData = first ? default : CidOf(99),
            Time = Time,
        };
    }

    public static SyncEvent SampleSync()
    {
        (byte[] car, _) = CarOf(2, extraBlocks: 0);
        return new SyncEvent { Did = Did, Blocks = car, Rev = Rev, Time = Time };
    }

    public static byte[] Frame<TEvent>(TEvent evt, long seq) where TEvent : IFirehoseEvent
    {
        var buffer = new ArrayBufferWriter<byte>();
        int n = evt.WriteFrame(seq, buffer);
        Assert.Equal(buffer.WrittenCount, n);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Frame(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Every frame type, for table-driven tests.</summary>
    public static IEnumerable<(string Name, byte[] Frame)> AllFrames()
    {
        yield return ("commit", Frame(Commit(), 7));
        yield return ("commit-first", Frame(Commit(first: true), 8));
        yield return ("commit-empty", Frame(Commit(ops: 0), 9));
        yield return ("sync", Frame(SampleSync(), 10));
        yield return ("identity", Frame(new IdentityEvent { Did = Did, Handle = "alice.test", Time = Time }, 11));
        yield return ("identity-nohandle", Frame(new IdentityEvent { Did = Did, Time = Time }, 12));
        yield return ("account", Frame(new AccountEvent { Did = Did, Active = false, Status = "takendown", Time = Time }, 13));
        yield return ("account-active", Frame(new AccountEvent { Did = Did, Active = true, Time = Time }, 14));
        yield return ("info", Frame(b => FirehoseFrameWriter.WriteInfo(b, FirehoseFrameWriter.OutdatedCursor, "cursor too old")));
        yield return ("info-nomessage", Frame(b => FirehoseFrameWriter.WriteInfo(b, FirehoseFrameWriter.OutdatedCursor)));
        yield return ("error", Frame(b => FirehoseFrameWriter.WriteError(b, FirehoseFrameWriter.FutureCursor, "cursor in the future")));
        yield return ("error-slow", Frame(b => FirehoseFrameWriter.WriteError(b, FirehoseFrameWriter.ConsumerTooSlow)));
    }

    public static IEnumerable<object[]> AllFrameNames() => AllFrames().Select(f => new object[] { f.Name });

    public static byte[] FrameNamed(string name) => AllFrames().First(f => f.Name == name).Frame;

    /// <summary>Splits a frame into its two DAG-CBOR values (header, body) with the real reader.</summary>
    public static (byte[] Header, byte[] Body) Split(byte[] frame)
    {
        var r = new DagCborReader(frame);
        r.SkipValue();
        int h = r.BytesConsumed;
        return (frame[..h], frame[h..]);
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static string Utf8(ReadOnlySpan<byte> s) => Encoding.UTF8.GetString(s);
}
