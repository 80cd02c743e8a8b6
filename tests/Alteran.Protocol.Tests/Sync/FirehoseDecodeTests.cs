using Alteran.Protocol.Cbor;
using Alteran.Protocol.Sync;
using Alteran.Protocol.Tests.Cbor;
using static Alteran.Protocol.Tests.Sync.FirehoseTestData;
using Map = System.Collections.Generic.SortedDictionary<string, object>;

namespace Alteran.Protocol.Tests.Sync;

/// <summary>Hostile and malformed frames: every failure is a <see cref="FirehoseFrameException"/> with a precise reason.</summary>
public class FirehoseDecodeTests
{
    private const FirehoseDecodeMode Strict = FirehoseDecodeMode.Strict;
    private const FirehoseDecodeMode Lenient = FirehoseDecodeMode.Lenient;

    private static Map M(params (string Key, object Value)[] entries)
    {
        Map m = CborTestValues.NewMap();
        foreach (var (k, v) in entries)
            m[k] = v;
        return m;
    }

    private static Map Header(string t) => M(("t", t), ("op", 1L));

    private static byte[] FrameOf(object header, object body) => Concat(CborTestValues.Encode(header), CborTestValues.Encode(body));

    private static Map BodyOf(byte[] frame) => (Map)CborTestValues.Decode(Split(frame).Body);

    private static FirehoseFrameException AssertFails(byte[] frame, FirehoseFrameError error, FirehoseDecodeMode mode = Strict)
    {
        var e = Assert.Throws<FirehoseFrameException>(() => FirehoseFrame.Decode(frame, mode));
        Assert.True(error == e.Error, $"expected {error}, got {e.Error}: {e.Message}");
        Assert.False(FirehoseFrame.TryDecode(frame, out FirehoseFrame? none, out FirehoseFrameException? again, mode));
        Assert.Null(none);
        Assert.Equal(error, again!.Error);
        return e;
    }

    /// <summary>The frame with one body field replaced (or removed when <paramref name="value"/> is null).</summary>
    private static byte[] WithField(byte[] frame, string key, object? value)
    {
        (byte[] header, _) = Split(frame);
        Map body = BodyOf(frame);
        if (value is null)
            body.Remove(key);
        else
            body[key] = value;
        return Concat(header, CborTestValues.Encode(body));
    }

    // ---- framing ---------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(FirehoseTestData.AllFrameNames), MemberType = typeof(FirehoseTestData))]
    public void EveryPrefixIsRejected(string name)
    {
        byte[] frame = FrameNamed(name);
        int headerLength = Split(frame).Header.Length;
        for (int n = 0; n < frame.Length; n++)
        {
            foreach (FirehoseDecodeMode mode in new[] { Strict, Lenient })
            {
                var e = Assert.Throws<FirehoseFrameException>(() => FirehoseFrame.Decode(frame.AsMemory(0, n), mode));
                Assert.Equal(n == headerLength ? FirehoseFrameError.MissingBody : FirehoseFrameError.Truncated, e.Error);
            }
        }
        Assert.NotNull(FirehoseFrame.Decode(frame));
    }

    [Theory]
    [MemberData(nameof(FirehoseTestData.AllFrameNames), MemberType = typeof(FirehoseTestData))]
    public void TrailingBytesAreRejected(string name)
    {
        byte[] frame = FrameNamed(name);
        AssertFails(Concat(frame, [0x00]), FirehoseFrameError.TrailingBytes);
        AssertFails(Concat(frame, [0x00]), FirehoseFrameError.TrailingBytes, Lenient);
        AssertFails(Concat(frame, Split(frame).Body), FirehoseFrameError.TrailingBytes); // a third valid item
        AssertFails(Concat(frame, [0xff]), FirehoseFrameError.TrailingBytes);
    }

    [Fact]
    public void EmptyAndOversizedFrames()
    {
        AssertFails([], FirehoseFrameError.Truncated);
        var huge = new byte[FirehoseLimits.MaxFrameBytes + 1];
        AssertFails(huge, FirehoseFrameError.FrameTooLarge, Lenient);
    }

    [Fact]
    public void HeaderRules()
    {
        Map body = M(("name", "OutdatedCursor"));
        // op values other than 1 / -1.
        foreach (long op in new[] { 0L, 2L, -2L, long.MaxValue })
        {
            byte[] f = FrameOf(M(("t", "#info"), ("op", op)), body);
            AssertFails(f, FirehoseFrameError.UnknownOp);
            FirehoseFrame lenient = FirehoseFrame.Decode(f, Lenient);
            Assert.Equal(FirehoseMessageKind.Unknown, lenient.Kind);
            Assert.Equal(op, lenient.Op);
        }
        // Extra header fields (the old TS header had "id").
        byte[] extra = FrameOf(M(("t", "#info"), ("id", "x"), ("op", 1L)), body);
        AssertFails(extra, FirehoseFrameError.InvalidHeader);
        Assert.Equal(FirehoseMessageKind.Info, FirehoseFrame.Decode(extra, Lenient).Kind);
        // Missing op, missing t, wrong types, t on an error frame, header not a map.
        AssertFails(FrameOf(M(("t", "#info")), body), FirehoseFrameError.InvalidHeader, Lenient);
        AssertFails(FrameOf(M(("op", 1L)), body), FirehoseFrameError.InvalidHeader, Lenient);
        AssertFails(FrameOf(M(("t", "#info"), ("op", "1")), body), FirehoseFrameError.InvalidHeader, Lenient);
        AssertFails(FrameOf(M(("t", 1L), ("op", 1L)), body), FirehoseFrameError.InvalidHeader, Lenient);
        AssertFails(FrameOf(M(("t", "#info"), ("op", -1L)), M(("error", "FutureCursor"))), FirehoseFrameError.InvalidHeader);
        Assert.Equal(FirehoseMessageKind.Error, FirehoseFrame.Decode(FrameOf(M(("t", "#x"), ("op", -1L)), M(("error", "E"))), Lenient).Kind);
        AssertFails(FrameOf(new List<object> { 1L, "#info" }, body), FirehoseFrameError.InvalidHeader, Lenient);
        AssertFails(FrameOf(M(), body), FirehoseFrameError.InvalidHeader, Lenient);
    }

    [Fact]
    public void NonCanonicalHeaderIsInvalidDagCbor()
    {
        // {op: 1, t: "#info"}: keys out of canonical order ("t" is shorter, so it must come first).
        byte[] header = [0xa2, 0x62, (byte)'o', (byte)'p', 0x01, 0x61, (byte)'t', 0x65, .. "#info"u8];
        byte[] frame = Concat(header, CborTestValues.Encode(M(("name", "OutdatedCursor"))));
        var e = AssertFails(frame, FirehoseFrameError.InvalidDagCbor, Lenient);
        Assert.Equal(DagCborError.UnsortedMapKeys, Assert.IsType<DagCborException>(e.InnerException).Error);
        // Non-minimal op (0x18 0x01) and a duplicate key.
        AssertFails([0xa2, 0x61, (byte)'t', 0x65, .. "#info"u8, 0x62, (byte)'o', (byte)'p', 0x18, 0x01, 0xa1, 0x64, .. "name"u8, 0x61, (byte)'x'],
            FirehoseFrameError.InvalidDagCbor, Lenient);
        AssertFails([0xa2, 0x62, (byte)'o', (byte)'p', 0x01, 0x62, (byte)'o', (byte)'p', 0x01, 0xa0], FirehoseFrameError.InvalidDagCbor, Lenient);
        // Indefinite-length header map.
        AssertFails([0xbf, 0x62, (byte)'o', (byte)'p', 0x20, 0xff, 0xa0], FirehoseFrameError.InvalidDagCbor, Lenient);
    }

    [Fact]
    public void UnknownTypeAndNonMapBody()
    {
        byte[] unknown = FrameOf(Header("#labels"), M(("seq", 1L)));
        AssertFails(unknown, FirehoseFrameError.UnknownType);
        FirehoseFrame f = FirehoseFrame.Decode(unknown, Lenient);
        Assert.Equal((FirehoseMessageKind.Unknown, "#labels"), (f.Kind, f.Type));
        Assert.Null(f.Commit);
        AssertFails(FrameOf(Header("#commit"), new List<object>()), FirehoseFrameError.BodyNotMap, Lenient);
        AssertFails(FrameOf(Header("#labels"), "text"), FirehoseFrameError.BodyNotMap, Lenient);
        AssertFails(FrameOf(M(("op", -1L)), 5L), FirehoseFrameError.BodyNotMap, Lenient);
    }

    // ---- bodies ----------------------------------------------------------------------------------------

    public static IEnumerable<object[]> RequiredFields() =>
    [
        ["commit", "seq"], ["commit", "rebase"], ["commit", "tooBig"], ["commit", "repo"], ["commit", "commit"], ["commit", "rev"],
        ["commit", "since"], ["commit", "blocks"], ["commit", "ops"], ["commit", "blobs"], ["commit", "time"],
        ["sync", "seq"], ["sync", "did"], ["sync", "blocks"], ["sync", "rev"], ["sync", "time"],
        ["identity", "seq"], ["identity", "did"], ["identity", "time"],
        ["account", "seq"], ["account", "did"], ["account", "time"], ["account", "active"],
        ["info", "name"], ["error", "error"],
    ];

    [Theory]
    [MemberData(nameof(RequiredFields))]
    public void MissingRequiredFieldIsRejected(string frameName, string field)
    {
        byte[] frame = WithField(FrameNamed(frameName), field, null);
        var e = AssertFails(frame, FirehoseFrameError.MissingField, Lenient);
        Assert.Contains($"'{field}'", e.Message);
        AssertFails(frame, FirehoseFrameError.MissingField);
    }

    [Theory]
    [MemberData(nameof(RequiredFields))]
    public void WrongTypeIsRejected(string frameName, string field)
    {
        byte[] frame = FrameNamed(frameName);
        // A value of a kind no field of that name accepts: text for non-text fields, an integer for text fields.
        object wrong = BodyOf(frame)[field] is string ? 7L : "wrong";
        AssertFails(WithField(frame, field, wrong), FirehoseFrameError.WrongFieldType, Lenient);
        AssertFails(WithField(frame, field, new Map()), FirehoseFrameError.WrongFieldType, Lenient);
    }

    [Fact]
    public void OptionalFieldsWithWrongTypesAreRejected()
    {
        AssertFails(WithField(FrameNamed("commit"), "prevData", "bafy"), FirehoseFrameError.WrongFieldType, Lenient);
        AssertFails(WithField(FrameNamed("commit"), "prevData", CborTestValues.CborNull.Value), FirehoseFrameError.WrongFieldType, Lenient);
        AssertFails(WithField(FrameNamed("identity"), "handle", 1L), FirehoseFrameError.WrongFieldType, Lenient);
        AssertFails(WithField(FrameNamed("account"), "status", true), FirehoseFrameError.WrongFieldType, Lenient);
        AssertFails(WithField(FrameNamed("info"), "message", CborTestValues.CborNull.Value), FirehoseFrameError.WrongFieldType, Lenient);
        AssertFails(WithField(FrameNamed("commit"), "blobs", new List<object> { "x" }), FirehoseFrameError.WrongFieldType, Lenient);
        AssertFails(WithField(FrameNamed("commit"), "ops", new List<object> { 1L }), FirehoseFrameError.WrongFieldType, Lenient);
    }

    [Theory]
    [MemberData(nameof(FirehoseTestData.AllFrameNames), MemberType = typeof(FirehoseTestData))]
    public void UnknownBodyFieldIsStrictErrorButLenientSkip(string name)
    {
        // A nested value too: lenient mode must skip it whole.
        object nested = new List<object> { M(("a", new List<object> { 1L, "b", new byte[3] })), CborTestValues.CborNull.Value };
        byte[] frame = WithField(FrameNamed(name), "zzzUnknown", nested);
        var e = AssertFails(frame, FirehoseFrameError.UnknownField);
        Assert.Contains("zzzUnknown", e.Message);
        FirehoseFrame f = FirehoseFrame.Decode(frame, Lenient);
        Assert.Equal(FirehoseFrame.Decode(FrameNamed(name)).Kind, f.Kind);
    }

    [Fact]
    public void LegacyCommitFieldsDecodeLeniently()
    {
        // Sync v1.0 hosts sent a top-level "prev": null and ops without "prev".
        byte[] frame = WithField(FrameNamed("commit"), "prev", CborTestValues.CborNull.Value);
        Map body = BodyOf(frame);
        foreach (Map op in ((List<object>)body["ops"]).Cast<Map>())
            op.Remove("prev");
        frame = Concat(Split(frame).Header, CborTestValues.Encode(body));
        AssertFails(frame, FirehoseFrameError.InvalidValue); // "ops" sorts first: its missing prev is found before "prev"
        CommitMessage m = FirehoseFrame.Decode(frame, Lenient).Commit!;
        Assert.All(m.Ops, op => Assert.True(op.Prev.IsEmpty));
    }

    private static byte[] WithOp(Map op)
    {
        byte[] frame = FrameNamed("commit");
        Map body = BodyOf(frame);
        body["ops"] = new List<object> { op };
        return Concat(Split(frame).Header, CborTestValues.Encode(body));
    }

    [Fact]
    public void RepoOpRules()
    {
        Cid c = CidOf(1), p = CidOf(2);
        object nul = CborTestValues.CborNull.Value;
        // Valid shapes.
        Assert.Equal(RepoOpRef.Create("app.test.x/b", c), FirehoseFrame.Decode(WithOp(M(("action", "create"), ("path", "app.test.x/b"), ("cid", c))), Strict).Commit!.Ops[0]);
        Assert.Equal(RepoOpRef.Update("app.test.x/b", c, p), FirehoseFrame.Decode(WithOp(M(("action", "update"), ("path", "app.test.x/b"), ("cid", c), ("prev", p)))).Commit!.Ops[0]);
        Assert.Equal(RepoOpRef.Delete("app.test.x/b", p), FirehoseFrame.Decode(WithOp(M(("action", "delete"), ("path", "app.test.x/b"), ("cid", nul), ("prev", p)))).Commit!.Ops[0]);
        // prev on a create: forbidden in strict mode only.
        byte[] createWithPrev = WithOp(M(("action", "create"), ("path", "app.test.x/b"), ("cid", c), ("prev", p)));
        AssertFails(createWithPrev, FirehoseFrameError.InvalidValue);
        Assert.NotNull(FirehoseFrame.Decode(createWithPrev, Lenient));
        // Missing prev on update/delete: required in strict mode (sync v1.1), tolerated leniently (v1.0).
        byte[] updateNoPrev = WithOp(M(("action", "update"), ("path", "app.test.x/b"), ("cid", c)));
        AssertFails(updateNoPrev, FirehoseFrameError.InvalidValue);
        Assert.True(FirehoseFrame.Decode(updateNoPrev, Lenient).Commit!.Ops[0].Prev.IsEmpty);
        AssertFails(WithOp(M(("action", "delete"), ("path", "app.test.x/b"), ("cid", nul))), FirehoseFrameError.InvalidValue);
        // cid null exactly on deletes, in both modes.
        AssertFails(WithOp(M(("action", "delete"), ("path", "app.test.x/b"), ("cid", c), ("prev", p))), FirehoseFrameError.InvalidValue, Lenient);
        AssertFails(WithOp(M(("action", "create"), ("path", "app.test.x/b"), ("cid", nul))), FirehoseFrameError.InvalidValue, Lenient);
        AssertFails(WithOp(M(("action", "update"), ("path", "app.test.x/b"), ("cid", nul), ("prev", p))), FirehoseFrameError.InvalidValue, Lenient);
        // Unknown action, missing fields, prev: null.
        AssertFails(WithOp(M(("action", "upsert"), ("path", "app.test.x/b"), ("cid", c))), FirehoseFrameError.InvalidValue, Lenient);
        AssertFails(WithOp(M(("action", "create"), ("cid", c))), FirehoseFrameError.MissingField, Lenient);
        AssertFails(WithOp(M(("action", "delete"), ("path", "app.test.x/b"), ("prev", p))), FirehoseFrameError.MissingField, Lenient);
        AssertFails(WithOp(M(("path", "app.test.x/b"), ("cid", c))), FirehoseFrameError.MissingField, Lenient);
        AssertFails(WithOp(M(("action", "update"), ("path", "app.test.x/b"), ("cid", c), ("prev", nul))), FirehoseFrameError.WrongFieldType, Lenient);
        AssertFails(WithOp(M(("action", "create"), ("path", "app.test.x/b"), ("cid", c), ("extra", 1L))), FirehoseFrameError.UnknownField);
    }

    [Fact]
    public void StrictModeChecksStringFormats()
    {
        foreach ((string frame, string field, string bad) in new[]
        {
            ("commit", "repo", "not-a-did"), ("commit", "rev", "3l3qo2vutsw2"), ("commit", "since", "zzzzzzzzzzzzz"),
            ("commit", "time", "2024-01-02 03:04:05"), ("sync", "did", "did:"), ("identity", "handle", "-bad-.test"),
            ("account", "time", "yesterday"),
        })
        {
            byte[] f = WithField(FrameNamed(frame), field, bad);
            var e = AssertFails(f, FirehoseFrameError.InvalidValue);
            Assert.Contains(field, e.Message);
            Assert.NotNull(FirehoseFrame.Decode(f, Lenient));
        }
        Cid c = CidOf(1);
        foreach (string path in new[] { "nocollection", "/rkey", "app.test.x/", "app.test.x/a/b", "notnsid/rkey", "app.test.x/.." })
        {
            byte[] f = WithOp(M(("action", "create"), ("path", path), ("cid", c)));
            AssertFails(f, FirehoseFrameError.InvalidValue);
            Assert.Equal(path, FirehoseFrame.Decode(f, Lenient).Commit!.Ops[0].Path);
        }
        Assert.Equal("handle.invalid", FirehoseFrame.Decode(WithField(FrameNamed("identity"), "handle", "handle.invalid")).Identity!.Handle);
    }

    [Fact]
    public void SeqMustBePositive()
    {
        foreach (string name in new[] { "commit", "sync", "identity", "account" })
        {
            AssertFails(WithField(FrameNamed(name), "seq", 0L), FirehoseFrameError.InvalidValue, Lenient);
            AssertFails(WithField(FrameNamed(name), "seq", -1L), FirehoseFrameError.InvalidValue, Lenient);
        }
    }

    [Fact]
    public void LexiconLimitsInStrictMode()
    {
        // 201 ops.
        byte[] frame = FrameNamed("commit");
        Map body = BodyOf(frame);
        var ops = new List<object>();
        for (int i = 0; i < FirehoseLimits.MaxCommitOps + 1; i++)
            ops.Add(M(("action", "create"), ("path", $"app.test.x/{i}"), ("cid", CidOf(i))));
        body["ops"] = ops;
        byte[] tooMany = Concat(Split(frame).Header, CborTestValues.Encode(body));
        AssertFails(tooMany, FirehoseFrameError.LimitExceeded);
        Assert.Equal(201, FirehoseFrame.Decode(tooMany, Lenient).Commit!.Ops.Length);

        // Commit blocks over 2,000,000 bytes (a real CAR, so only the size is wrong).
        (byte[] bigCar, Cid bigCommit) = CarOf(4, extraBlocks: 0, padding: FirehoseLimits.MaxCommitBlocksBytes);
        byte[] big = WithField(WithField(frame, "blocks", bigCar), "commit", bigCommit);
        AssertFails(big, FirehoseFrameError.LimitExceeded);
        Assert.NotNull(FirehoseFrame.Decode(big, Lenient).Commit);

        // Sync blocks over 10,000 bytes.
        (byte[] syncCar, _) = CarOf(5, extraBlocks: 0, padding: FirehoseLimits.MaxSyncBlocksBytes);
        byte[] bigSync = WithField(FrameNamed("sync"), "blocks", syncCar);
        AssertFails(bigSync, FirehoseFrameError.LimitExceeded);
        Assert.NotNull(FirehoseFrame.Decode(bigSync, Lenient).Sync);
    }

    [Fact]
    public void BlocksMustBeACarRootedAtTheCommit()
    {
        byte[] frame = FrameNamed("commit");
        AssertFails(WithField(frame, "blocks", new byte[] { 1, 2, 3 }), FirehoseFrameError.InvalidBlocks);
        AssertFails(WithField(frame, "blocks", Array.Empty<byte>()), FirehoseFrameError.InvalidBlocks);
        AssertFails(WithField(frame, "commit", CidOf(12345)), FirehoseFrameError.InvalidBlocks); // first root ≠ commit
        Assert.NotNull(FirehoseFrame.Decode(WithField(frame, "commit", CidOf(12345)), Lenient));

        // A CAR that names the commit as root but does not carry its block.
        (byte[] car, Cid commit) = CarOf(6, extraBlocks: 0);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var w = new Alteran.Protocol.Car.CarWriter(buffer);
        w.WriteHeader([commit]);
        byte[] other = Block(77);
        w.WriteBlock(Cid.ForDagCbor(other), other);
        byte[] rootless = WithField(WithField(frame, "commit", commit), "blocks", buffer.WrittenSpan.ToArray());
        AssertFails(rootless, FirehoseFrameError.InvalidBlocks);
        Assert.NotNull(FirehoseFrame.Decode(WithField(WithField(frame, "commit", commit), "blocks", car)));

        AssertFails(WithField(FrameNamed("sync"), "blocks", new byte[] { 0x0a }), FirehoseFrameError.InvalidBlocks);
    }

    // ---- bombs -----------------------------------------------------------------------------------------

    [Fact]
    public void NestingBombIsRejectedWithoutRecursion()
    {
        // An unknown field holding 100,000 nested arrays: strict stops at the key, lenient at the depth limit.
        const int depth = 100_000;
        byte[] frame = FrameNamed("info");
        (byte[] header, byte[] body) = Split(frame);
        var bomb = new byte[depth + 1];
        Array.Fill(bomb, (byte)0x81);
        bomb[^1] = 0x00;
        // body is {name: ...}; append a key that sorts after "name" by rebuilding the map header by hand.
        byte[] key = [0x67, .. "zzzBomb"u8];
        byte[] rebuilt = Concat([(byte)(body[0] + 1)], body[1..], key, bomb);
        AssertFails(Concat(header, rebuilt), FirehoseFrameError.UnknownField);
        var e = AssertFails(Concat(header, rebuilt), FirehoseFrameError.InvalidDagCbor, Lenient);
        Assert.Equal(DagCborError.DepthExceeded, ((DagCborException)e.InnerException!).Error);
        // Same bomb as the header's t.
        AssertFails(Concat([0xa2, 0x61, (byte)'t'], bomb, [0x62, (byte)'o', (byte)'p', 0x01, 0xa0]), FirehoseFrameError.InvalidHeader, Lenient);
    }

    [Fact]
    public void DeclaredLengthsBeyondTheInputAreRejectedBeforeAllocating()
    {
        byte[] frame = FrameNamed("commit");
        (byte[] header, _) = Split(frame);
        // {ops: [4,294,967,295 items...]} and a byte string claiming 4 GB.
        AssertFails(Concat(header, [0xa1, 0x63, .. "ops"u8, 0x9a, 0xff, 0xff, 0xff, 0xff]), FirehoseFrameError.InvalidDagCbor, Lenient);
        AssertFails(Concat(header, [0xa1, 0x63, .. "ops"u8, 0x99, 0xff, 0xff, 0x00]), FirehoseFrameError.Truncated, Lenient);
        AssertFails(Concat(header, [0xa1, 0x66, .. "blocks"u8, 0x5a, 0xff, 0xff, 0xff, 0xff]), FirehoseFrameError.InvalidDagCbor, Lenient);
        AssertFails(Concat(header, [0xbb, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), FirehoseFrameError.InvalidDagCbor, Lenient);
    }

    [Fact]
    public void RandomMutationsNeverEscapeAsOtherExceptions()
    {
        var rng = new Random(1234);
        foreach ((string _, byte[] original) in AllFrames())
        {
            for (int i = 0; i < 300; i++)
            {
                byte[] f = (byte[])original.Clone();
                int edits = 1 + rng.Next(3);
                for (int k = 0; k < edits; k++)
                    f[rng.Next(f.Length)] = (byte)rng.Next(256);
                foreach (FirehoseDecodeMode mode in new[] { Strict, Lenient })
                {
                    try
                    {
                        FirehoseFrame.Decode(f, mode);
                    }
                    catch (FirehoseFrameException)
                    {
                    }
                }
            }
        }
    }
}
