using System.Buffers;
using System.Globalization;
using System.Text.Json.Nodes;
using Alteran.Protocol.Sync;
using Alteran.Protocol.Tests.Cbor;
using static Alteran.Protocol.Tests.Sync.FirehoseTestData;

namespace Alteran.Protocol.Tests.Sync;

public class FirehoseRoundTripTests
{
    /// <summary>Re-encodes a decoded frame through the public encoders into <paramref name="output"/>.</summary>
    private static int ReEncode(FirehoseFrame f, IBufferWriter<byte> output)
    {
        static DateTimeOffset T(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        return f.Kind switch
        {
            FirehoseMessageKind.Commit => new CommitEvent
            {
                Repo = f.Commit!.Repo, Commit = f.Commit.Commit, Rev = f.Commit.Rev, Since = f.Commit.Since, Blocks = f.Commit.Blocks,
                Ops = f.Commit.Ops, PrevData = f.Commit.PrevData, Time = T(f.Commit.Time),
            }.WriteFrame(f.Commit.Seq, output),
            FirehoseMessageKind.Sync => new SyncEvent { Did = f.Sync!.Did, Blocks = f.Sync.Blocks, Rev = f.Sync.Rev, Time = T(f.Sync.Time) }.WriteFrame(f.Sync.Seq, output),
            FirehoseMessageKind.Identity => new IdentityEvent { Did = f.Identity!.Did, Handle = f.Identity.Handle, Time = T(f.Identity.Time) }.WriteFrame(f.Identity.Seq, output),
            FirehoseMessageKind.Account => new AccountEvent { Did = f.Account!.Did, Active = f.Account.Active, Status = f.Account.Status, Time = T(f.Account.Time) }.WriteFrame(f.Account.Seq, output),
            FirehoseMessageKind.Info => FirehoseFrameWriter.WriteInfo(output, f.Info!.Name, f.Info.Message),
            FirehoseMessageKind.Error => FirehoseFrameWriter.WriteError(output, f.Error!.Error, f.Error.Message),
            _ => throw new InvalidOperationException(f.Kind.ToString()),
        };
    }

    private static byte[] ReEncode(FirehoseFrame f) => Frame(b => ReEncode(f, b));

    [Theory]
    [MemberData(nameof(FirehoseTestData.AllFrameNames), MemberType = typeof(FirehoseTestData))]
    public void DecodeThenReEncodeGivesTheSameBytes(string name)
    {
        byte[] frame = FrameNamed(name);
        FirehoseFrame f = FirehoseFrame.Decode(frame);
        Assert.Equal(Convert.ToHexString(frame), Convert.ToHexString(ReEncode(f)));
        // The body is canonical DAG-CBOR on its own as well (generic decode → encode is the identity).
        (_, byte[] body) = Split(frame);
        Assert.Equal(body, f.Body.ToArray());
        Assert.Equal(body, CborTestValues.Encode(CborTestValues.Decode(body)));
        // And the lenient reading agrees with the strict one.
        FirehoseFrame lenient = FirehoseFrame.Decode(frame, FirehoseDecodeMode.Lenient);
        Assert.Equal(frame, ReEncode(lenient));
    }

    [Fact]
    public void CommitFieldsRoundTrip()
    {
        CommitEvent evt = Commit(ops: 7);
        byte[] frame = Frame(evt, 123_456_789);
        FirehoseFrame f = FirehoseFrame.Decode(frame);
        Assert.Equal(FirehoseMessageKind.Commit, f.Kind);
        Assert.Equal((long)FirehoseFrameOp.Message, f.Op);
        Assert.Equal("#commit", f.Type);
        Assert.Equal(123_456_789, f.Seq);
        CommitMessage m = f.Commit!;
        Assert.Null(f.Sync);
        Assert.Equal(evt.Repo, m.Repo);
        Assert.Equal(evt.Commit, m.Commit);
        Assert.Equal(evt.Rev, m.Rev);
        Assert.Equal(evt.Since, m.Since);
        Assert.Equal(evt.Blocks.ToArray(), m.Blocks.ToArray());
        Assert.Equal(evt.Ops.ToArray(), m.Ops);
        Assert.Equal(evt.PrevData, m.PrevData);
        Assert.Empty(m.Blobs);
        Assert.False(m.Rebase);
        Assert.False(m.TooBig);
        Assert.Equal(TimeText, m.Time);
        // Blocks is a slice of the frame, not a copy.
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(m.Blocks, out ArraySegment<byte> seg) && seg.Array == frame);
    }

    [Fact]
    public void OtherMessagesRoundTrip()
    {
        FirehoseFrame s = FirehoseFrame.Decode(Frame(SampleSync(), 5));
        Assert.Equal((5L, Did, Rev, TimeText), (s.Sync!.Seq, s.Sync.Did, s.Sync.Rev, s.Sync.Time));
        Assert.Equal(SampleSync().Blocks.ToArray(), s.Sync.Blocks.ToArray());

        FirehoseFrame i = FirehoseFrame.Decode(Frame(new IdentityEvent { Did = Did, Handle = "alice.test", Time = Time }, 6));
        Assert.Equal((6L, Did, "alice.test", TimeText), (i.Identity!.Seq, i.Identity.Did, i.Identity.Handle, i.Identity.Time));
        Assert.Null(FirehoseFrame.Decode(Frame(new IdentityEvent { Did = Did, Time = Time }, 6)).Identity!.Handle);

        FirehoseFrame a = FirehoseFrame.Decode(Frame(new AccountEvent { Did = Did, Active = false, Status = "suspended", Time = Time }, 7));
        Assert.Equal((7L, Did, false, "suspended"), (a.Account!.Seq, a.Account.Did, a.Account.Active, a.Account.Status));

        FirehoseFrame info = FirehoseFrame.Decode(Frame(b => FirehoseFrameWriter.WriteInfo(b, "OutdatedCursor", "old")));
        Assert.Equal(FirehoseMessageKind.Info, info.Kind);
        Assert.Null(info.Seq);
        Assert.Equal(("OutdatedCursor", "old"), (info.Info!.Name, info.Info.Message));

        FirehoseFrame e = FirehoseFrame.Decode(Frame(b => FirehoseFrameWriter.WriteError(b, "ConsumerTooSlow")));
        Assert.Equal(FirehoseMessageKind.Error, e.Kind);
        Assert.Equal(-1, e.Op);
        Assert.Null(e.Type);
        Assert.Equal(("ConsumerTooSlow", (string?)null), (e.Error!.Error, e.Error.Message));
    }

    [Fact]
    public void NonAsciiStringsRoundTrip()
    {
        byte[] frame = Frame(b => FirehoseFrameWriter.WriteError(b, "FutureCursor", "curseur « futur » 🚀"));
        Assert.Equal("curseur « futur » 🚀", FirehoseFrame.Decode(frame).Error!.Message);
    }

    [Fact]
    public void TimeIsUtcWithMilliseconds()
    {
        var local = new DateTimeOffset(2024, 6, 30, 23, 59, 59, 7, TimeSpan.FromHours(-5));
        byte[] frame = Frame(new IdentityEvent { Did = Did, Time = local }, 1);
        Assert.Equal("2024-07-01T04:59:59.007Z", FirehoseFrame.Decode(frame).Identity!.Time);
    }

    [Fact]
    public void TimeMatchesDotNetFormattingForRandomInstants()
    {
        var rng = new Random(7);
        for (int i = 0; i < 500; i++)
        {
            var t = new DateTimeOffset(rng.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay), TimeSpan.Zero)
                .ToOffset(TimeSpan.FromMinutes(rng.Next(-14 * 60, 14 * 60)));
            string expected = t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            Assert.Equal(expected, FirehoseFrame.Decode(Frame(new IdentityEvent { Did = Did, Time = t }, 1), FirehoseDecodeMode.Lenient).Identity!.Time);
        }
    }

    // ---- field presence, checked against the lexicon ---------------------------------------------------

    private static JsonObject LexiconDefs()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Alteran.sln")))
            dir = Path.GetDirectoryName(dir);
        Assert.NotNull(dir);
        string path = Path.Combine(dir, "src", "Alteran.Protocol", "Lexicon", "lexicons", "com", "atproto", "sync", "subscribeRepos.json");
        return JsonNode.Parse(File.ReadAllText(path))!["defs"]!.AsObject();
    }

    private static string[] Strings(JsonNode? array) => array is null ? [] : array.AsArray().Select(n => (string)n!).ToArray();

    /// <summary>Every required field present, nothing outside the properties, null only where nullable.</summary>
    private static void AssertMatchesDef(JsonObject defs, string def, SortedDictionary<string, object> body)
    {
        JsonNode d = defs[def]!;
        var props = d["properties"]!.AsObject();
        foreach (string required in Strings(d["required"]))
            Assert.True(body.ContainsKey(required), $"#{def} lacks required '{required}'");
        string[] nullable = Strings(d["nullable"]);
        foreach ((string key, object value) in body)
        {
            Assert.True(props.ContainsKey(key), $"#{def} has '{key}', which the lexicon does not define");
            if (value is CborTestValues.CborNull)
                Assert.Contains(key, nullable);
            string type = (string)props[key]!["type"]!;
            switch (type)
            {
                case "integer": Assert.IsType<long>(value); break;
                case "boolean": Assert.IsType<bool>(value); break;
                case "string": if (value is not CborTestValues.CborNull) Assert.IsType<string>(value); break;
                case "bytes": Assert.IsType<byte[]>(value); Assert.True(((byte[])value).Length <= ((int?)props[key]!["maxLength"] ?? int.MaxValue)); break;
                case "cid-link": if (value is not CborTestValues.CborNull) Assert.IsType<Cid>(value); break;
                case "array":
                    var list = Assert.IsType<List<object>>(value);
                    Assert.True(list.Count <= ((int?)props[key]!["maxLength"] ?? int.MaxValue));
                    if ((string?)props[key]!["items"]!["ref"] is string r)
                        foreach (object item in list)
                            AssertMatchesDef(defs, r.TrimStart('#'), Assert.IsType<SortedDictionary<string, object>>(item));
                    break;
                default: Assert.Fail($"unexpected lexicon type {type}"); break;
            }
        }
    }

    [Theory]
    [MemberData(nameof(FirehoseTestData.AllFrameNames), MemberType = typeof(FirehoseTestData))]
    public void BodiesMatchTheLexicon(string name)
    {
        byte[] frame = FrameNamed(name);
        (byte[] header, byte[] body) = Split(frame);
        var h = Assert.IsType<SortedDictionary<string, object>>(CborTestValues.Decode(header));
        var b = Assert.IsType<SortedDictionary<string, object>>(CborTestValues.Decode(body));
        if ((long)h["op"] == -1)
        {
            // Error frames: {op: -1} only, body {error, message?} (event-stream spec).
            Assert.Single(h);
            Assert.IsType<string>(b["error"]);
            Assert.All(b.Keys, k => Assert.Contains(k, new[] { "error", "message" }));
            return;
        }
        Assert.Equal(2, h.Count);
        Assert.Equal(1L, h["op"]);
        string t = Assert.IsType<string>(h["t"]);
        AssertMatchesDef(LexiconDefs(), t.TrimStart('#'), b);
    }

    [Fact]
    public void CommitPresenceRules()
    {
        var first = (SortedDictionary<string, object>)CborTestValues.Decode(Split(Frame(Commit(first: true), 1)).Body);
        Assert.IsType<CborTestValues.CborNull>(first["since"]);  // explicit null, not omitted
        Assert.False(first.ContainsKey("prevData"));                // omitted, not null
        Assert.Empty((List<object>)first["blobs"]);                 // deprecated but present
        Assert.False((bool)first["rebase"]);
        Assert.False((bool)first["tooBig"]);

        var next = (SortedDictionary<string, object>)CborTestValues.Decode(Split(Frame(Commit(ops: 6), 2)).Body);
        Assert.Equal(Since, next["since"]);
        Assert.IsType<Cid>(next["prevData"]);
        foreach (var op in ((List<object>)next["ops"]).Cast<SortedDictionary<string, object>>())
        {
            string action = (string)op["action"];
            Assert.Equal(action != "create", op.ContainsKey("prev"));          // prev only on update/delete
            Assert.Equal(action == "delete", op["cid"] is CborTestValues.CborNull); // cid null only on delete
            if (op.TryGetValue("prev", out object? prev))
                Assert.IsType<Cid>(prev);
        }
    }

    // ---- encoder input rules and limits ---------------------------------------------------------------

    private static void AssertRejectedWithoutWriting(Func<IBufferWriter<byte>, int> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.ThrowsAny<ArgumentException>(() => write(buffer));
        Assert.Equal(0, buffer.WrittenCount);
    }

    [Fact]
    public void EncodersRejectBadInputBeforeWriting()
    {
        CommitEvent ok = Commit();
        AssertRejectedWithoutWriting(b => ok.WriteFrame(0, b));
        AssertRejectedWithoutWriting(b => ok.WriteFrame(-5, b));
        AssertRejectedWithoutWriting(b => (ok with { Repo = "" }).WriteFrame(1, b));
        AssertRejectedWithoutWriting(b => (ok with { Rev = null! }).WriteFrame(1, b));
        AssertRejectedWithoutWriting(b => (ok with { Since = new string('a', 65) }).WriteFrame(1, b));
        AssertRejectedWithoutWriting(b => (ok with { Commit = default }).WriteFrame(1, b));
        AssertRejectedWithoutWriting(b => (ok with { Blocks = default }).WriteFrame(1, b));
        AssertRejectedWithoutWriting(b => (ok with { Time = default }).WriteFrame(1, b));
        AssertRejectedWithoutWriting(b => (ok with { Ops = new RepoOpRef[] { default } }).WriteFrame(1, b));
        AssertRejectedWithoutWriting(b => (ok with { Ops = Ops(FirehoseLimits.MaxCommitOps + 1) }).WriteFrame(1, b));
        (byte[] bigCar, Cid bigCommit) = CarOf(9, extraBlocks: 0, padding: FirehoseLimits.MaxCommitBlocksBytes);
        var big = ok with { Blocks = bigCar, Commit = bigCommit };
        Assert.False(big.FitsInCommitFrame);
        var e = Assert.Throws<ArgumentException>(() => big.WriteFrame(1, new ArrayBufferWriter<byte>()));
        Assert.Contains("#sync", e.Message);
        AssertRejectedWithoutWriting(b => (ok with { Commit = CidOf(5) }).WriteFrame(1, b)); // CAR not rooted at the commit
        AssertRejectedWithoutWriting(b => (ok with { Blocks = new byte[] { 1, 2, 3 } }).WriteFrame(1, b));
        AssertRejectedWithoutWriting(b => (SampleSync() with { Blocks = new byte[] { 1, 2, 3 } }).WriteFrame(1, b));

        SyncEvent sync = SampleSync();
        AssertRejectedWithoutWriting(b => (sync with { Blocks = new byte[FirehoseLimits.MaxSyncBlocksBytes + 1] }).WriteFrame(1, b));
        AssertRejectedWithoutWriting(b => (sync with { Did = new string('d', FirehoseLimits.MaxDidLength + 1) }).WriteFrame(1, b));
        AssertRejectedWithoutWriting(b => new IdentityEvent { Did = Did, Handle = new string('h', 254), Time = Time }.WriteFrame(1, b));
        AssertRejectedWithoutWriting(b => new IdentityEvent { Did = Did, Handle = "", Time = Time }.WriteFrame(1, b));
        AssertRejectedWithoutWriting(b => new AccountEvent { Did = Did, Active = true, Status = new string('s', 129), Time = Time }.WriteFrame(1, b));
        AssertRejectedWithoutWriting(b => FirehoseFrameWriter.WriteInfo(b, ""));
        AssertRejectedWithoutWriting(b => FirehoseFrameWriter.WriteError(b, "FutureCursor", new string('m', FirehoseLimits.MaxMessageLength + 1)));
        AssertRejectedWithoutWriting(b => FirehoseFrameWriter.WriteError(b, "Bad\uD800")); // lone surrogate fails in WriteText...
    }

    [Fact]
    public void RepoOpFactoriesEnforceShape()
    {
        Cid c = CidOf(1);
        Assert.Throws<ArgumentException>(() => RepoOpRef.Create("a/b", default));
        Assert.Throws<ArgumentException>(() => RepoOpRef.Update("a/b", c, default));
        Assert.Throws<ArgumentException>(() => RepoOpRef.Delete("a/b", default));
        Assert.ThrowsAny<ArgumentException>(() => RepoOpRef.Create("", c));
        Assert.ThrowsAny<ArgumentException>(() => RepoOpRef.Create(new string('p', FirehoseLimits.MaxPathLength + 1), c));
        RepoOpRef d = RepoOpRef.Delete("a/b", c);
        Assert.True(d.Cid.IsEmpty);
        Assert.Equal(c, d.Prev);
    }

    [Fact]
    public void CommitSizeRule()
    {
        Assert.True(FirehoseLimits.FitsInCommit(200, 2_000_000));
        Assert.False(FirehoseLimits.FitsInCommit(201, 10));
        Assert.False(FirehoseLimits.FitsInCommit(0, 2_000_001));
        Assert.False(FirehoseLimits.FitsInCommit(-1, 0));
        Assert.True(Commit(ops: 200).FitsInCommitFrame);
        Assert.False((Commit() with { Ops = Ops(201) }).FitsInCommitFrame);
    }

    [Fact]
    public void LargestAllowedCommitStaysUnderTheFrameLimitAndDecodes()
    {
        // 200 ops with the longest paths and a blocks CAR of exactly 2,000,000 bytes.
        // Headers and varints grow with the padding, so converge on the exact size.
        int padding = FirehoseLimits.MaxCommitBlocksBytes;
        (byte[] car, Cid commit) = CarOf(3, extraBlocks: 0, padding: padding);
        for (int i = 0; i < 4 && car.Length != FirehoseLimits.MaxCommitBlocksBytes; i++)
        {
            padding -= car.Length - FirehoseLimits.MaxCommitBlocksBytes;
            (car, commit) = CarOf(3, extraBlocks: 0, padding: padding);
        }
        Assert.Equal(FirehoseLimits.MaxCommitBlocksBytes, car.Length);
        var ops = new RepoOpRef[FirehoseLimits.MaxCommitOps];
        for (int i = 0; i < ops.Length; i++)
            ops[i] = RepoOpRef.Update($"{i:D5}/" + new string('é', (FirehoseLimits.MaxPathLength - 6)), CidOf(i), CidOf(i + 1000));
        var evt = new CommitEvent { Repo = Did, Commit = commit, Rev = Rev, Since = Since, Blocks = car, Ops = ops, PrevData = CidOf(1), Time = Time };
        byte[] frame = Frame(evt, long.MaxValue);
        Assert.InRange(frame.Length, FirehoseLimits.MaxCommitBlocksBytes, FirehoseLimits.MaxFrameBytes);
        // Lenient: 1024-char paths are within the encoder's bound but longer than a valid NSID + record key.
        CommitMessage m = FirehoseFrame.Decode(frame, FirehoseDecodeMode.Lenient).Commit!;
        Assert.Equal(long.MaxValue, m.Seq);
        Assert.Equal(ops, m.Ops);
    }

    /// <summary>An output that hands out spans of exactly the requested size, in fresh segments.</summary>
    private sealed class TinySegmentWriter : IBufferWriter<byte>
    {
        private readonly List<byte> _written = [];
        private byte[] _current = [];
        public byte[] Written => _written.ToArray();
        public void Advance(int count) => _written.AddRange(_current.AsSpan(0, count).ToArray());
        public Memory<byte> GetMemory(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, 1)];
        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }

    [Theory]
    [MemberData(nameof(FirehoseTestData.AllFrameNames), MemberType = typeof(FirehoseTestData))]
    public void SegmentedOutputGivesTheSameBytes(string name)
    {
        byte[] expected = FrameNamed(name);
        var tiny = new TinySegmentWriter();
        int n = ReEncode(FirehoseFrame.Decode(expected), tiny);
        Assert.Equal(expected.Length, n);
        Assert.Equal(expected, tiny.Written);
    }

    [Fact]
    public void SeqIsWrittenByTheCallback()
    {
        // The storage layer's shape: it holds a generic event and a seq it assigns inside its write.
        static byte[] Append<TEvent>(in TEvent evt, ref long lastSeq) where TEvent : IFirehoseEvent
        {
            var buffer = new ArrayBufferWriter<byte>();
            evt.WriteFrame(++lastSeq, buffer);
            return buffer.WrittenSpan.ToArray();
        }
        long seq = 41;
        byte[] a = Append(Commit(), ref seq);
        byte[] b = Append(new AccountEvent { Did = Did, Active = true, Time = Time }, ref seq);
        Assert.Equal(42, FirehoseFrame.Decode(a).Seq);
        Assert.Equal(43, FirehoseFrame.Decode(b).Seq);
    }
}
