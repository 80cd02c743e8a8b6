using System.Text;
using Alteran.Protocol.Sync;
using static Alteran.Protocol.Tests.Sync.FirehoseTestData;

namespace Alteran.Protocol.Tests.Sync;

/// <summary>
/// One frame per type whose expected bytes are spelled out here token by token (RFC 8949 headers written by
/// hand, keys in canonical order worked out by hand), independent of DagCborWriter.
/// </summary>
public class FirehoseGoldenTests
{
    // ---- a hand CBOR spelling kit ----------------------------------------------------------------------

    private static byte[] B(params int[] bytes) => bytes.Select(b => (byte)b).ToArray();

    /// <summary>Text string: 0x60|len below 24, else 0x78 len (all our strings are &lt; 256 bytes).</summary>
    private static byte[] T(string s)
    {
        byte[] u = Encoding.UTF8.GetBytes(s);
        Assert.True(u.Length < 256);
        return Concat(u.Length < 24 ? B(0x60 | u.Length) : B(0x78, u.Length), u);
    }

    /// <summary>Byte string with a 1- or 2-byte length argument.</summary>
    private static byte[] Bytes(byte[] b) => Concat(
        b.Length < 24 ? B(0x40 | b.Length) : b.Length < 256 ? B(0x58, b.Length) : B(0x59, b.Length >> 8, b.Length & 0xff), b);

    /// <summary>CID link: tag 42 (d8 2a), byte string of 37 (58 25), multibase identity prefix 00, binary CID.</summary>
    private static byte[] Link(Cid c) => Concat(B(0xd8, 0x2a, 0x58, 0x25, 0x00), c.ToBytes());

    private static void AssertBytes(byte[] expected, byte[] actual) =>
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(actual));

    private static readonly byte[] TimeToken = Concat(B(0x78, 24), Encoding.ASCII.GetBytes(TimeText)); // 24 chars: needs 0x78 0x18

    [Fact]
    public void Commit()
    {
        (byte[] car, Cid commit) = CarOf(5);
        Cid c1 = CidOf(1), c2 = CidOf(2), prevData = CidOf(3);
        var evt = new CommitEvent
        {
            Repo = Did,
            Commit = commit,
            Rev = Rev,
            Since = Since,
            Blocks = car,
            Ops = new[] { RepoOpRef.Create("app.bsky.feed.post/a", c1), RepoOpRef.Delete("app.bsky.feed.like/b", c2) },
            PrevData = prevData,
            Time = Time,
        };
        byte[] expected = Concat(
            B(0xa2), T("t"), T("#commit"), T("op"), B(0x01),
            B(0xac), // 12 entries: ops rev seq | repo time | blobs since | blocks commit rebase tooBig | prevData
            T("ops"), B(0x82),
                B(0xa3), T("cid"), Link(c1), T("path"), T("app.bsky.feed.post/a"), T("action"), T("create"),
                B(0xa4), T("cid"), B(0xf6), T("path"), T("app.bsky.feed.like/b"), T("prev"), Link(c2), T("action"), T("delete"),
            T("rev"), T(Rev),
            T("seq"), B(0x19, 0x01, 0x2c), // 300
            T("repo"), T(Did),
            T("time"), TimeToken,
            T("blobs"), B(0x80),
            T("since"), T(Since),
            T("blocks"), Bytes(car),
            T("commit"), Link(commit),
            T("rebase"), B(0xf4),
            T("tooBig"), B(0xf4),
            T("prevData"), Link(prevData));
        AssertBytes(expected, Frame(evt, 300));
        Assert.Equal("A2617467", Convert.ToHexString(expected, 0, 4)); // header starts with "t": length-first order
    }

    [Fact]
    public void FirstCommitHasNullSinceAndNoPrevData()
    {
        (byte[] car, Cid commit) = CarOf(6);
        var evt = new CommitEvent { Repo = Did, Commit = commit, Rev = Rev, Since = null, Blocks = car, Time = Time };
        byte[] expected = Concat(
            B(0xa2), T("t"), T("#commit"), T("op"), B(0x01),
            B(0xab), // 11 entries
            T("ops"), B(0x80),
            T("rev"), T(Rev),
            T("seq"), B(0x01),
            T("repo"), T(Did),
            T("time"), TimeToken,
            T("blobs"), B(0x80),
            T("since"), B(0xf6),
            T("blocks"), Bytes(car),
            T("commit"), Link(commit),
            T("rebase"), B(0xf4),
            T("tooBig"), B(0xf4));
        AssertBytes(expected, Frame(evt, 1));
    }

    [Fact]
    public void Sync()
    {
        (byte[] car, _) = CarOf(7, extraBlocks: 0);
        byte[] expected = Concat(
            B(0xa2), T("t"), T("#sync"), T("op"), B(0x01),
            B(0xa5), T("did"), T(Did), T("rev"), T(Rev), T("seq"), B(0x18, 0x2a), T("time"), TimeToken, T("blocks"), Bytes(car));
        AssertBytes(expected, Frame(new SyncEvent { Did = Did, Blocks = car, Rev = Rev, Time = Time }, 42));
    }

    [Fact]
    public void Identity()
    {
        byte[] expected = Concat(
            B(0xa2), T("t"), T("#identity"), T("op"), B(0x01),
            B(0xa4), T("did"), T(Did), T("seq"), B(0x1b, 0, 0, 0, 0x01, 0x2a, 0x05, 0xf2, 0x00), // 5,000,000,000
            T("time"), TimeToken, T("handle"), T("alice.test"));
        AssertBytes(expected, Frame(new IdentityEvent { Did = Did, Handle = "alice.test", Time = Time }, 5_000_000_000));
    }

    [Fact]
    public void Account()
    {
        byte[] expected = Concat(
            B(0xa2), T("t"), T("#account"), T("op"), B(0x01),
            B(0xa5), T("did"), T(Did), T("seq"), B(0x17), T("time"), TimeToken, T("active"), B(0xf4), T("status"), T("deactivated"));
        AssertBytes(expected, Frame(new AccountEvent { Did = Did, Active = false, Status = "deactivated", Time = Time }, 23));

        byte[] active = Concat(
            B(0xa2), T("t"), T("#account"), T("op"), B(0x01),
            B(0xa4), T("did"), T(Did), T("seq"), B(0x18, 0x18), T("time"), TimeToken, T("active"), B(0xf5));
        AssertBytes(active, Frame(new AccountEvent { Did = Did, Active = true, Time = Time }, 24));
    }

    [Fact]
    public void Info()
    {
        byte[] expected = Concat(
            B(0xa2), T("t"), T("#info"), T("op"), B(0x01),
            B(0xa2), T("name"), T("OutdatedCursor"), T("message"), T("too old"));
        AssertBytes(expected, Frame(b => FirehoseFrameWriter.WriteInfo(b, "OutdatedCursor", "too old")));
    }

    [Fact]
    public void Error()
    {
        // {op: -1}: -1 is major type 1 with argument 0 → 0x20. No t on error frames.
        byte[] expected = Concat(B(0xa1), T("op"), B(0x20), B(0xa2), T("error"), T("FutureCursor"), T("message"), T("ahead"));
        AssertBytes(expected, Frame(b => FirehoseFrameWriter.WriteError(b, "FutureCursor", "ahead")));

        byte[] slow = Concat(B(0xa1), T("op"), B(0x20), B(0xa1), T("error"), T("ConsumerTooSlow"));
        AssertBytes(slow, Frame(b => FirehoseFrameWriter.WriteError(b, "ConsumerTooSlow")));
    }

    [Fact]
    public void GoldenFramesDecodeStrictly()
    {
        (byte[] car, Cid commit) = CarOf(5);
        Cid c1 = CidOf(1);
        byte[] frame = Concat(
            B(0xa2), T("t"), T("#commit"), T("op"), B(0x01),
            B(0xac),
            T("ops"), B(0x81), B(0xa3), T("cid"), Link(c1), T("path"), T("app.bsky.feed.post/a"), T("action"), T("create"),
            T("rev"), T(Rev), T("seq"), B(0x05), T("repo"), T(Did), T("time"), TimeToken, T("blobs"), B(0x80),
            T("since"), T(Since), T("blocks"), Bytes(car), T("commit"), Link(commit), T("rebase"), B(0xf4),
            T("tooBig"), B(0xf4), T("prevData"), Link(CidOf(3)));
        FirehoseFrame f = FirehoseFrame.Decode(frame);
        CommitMessage m = Assert.IsType<CommitMessage>(f.Commit);
        Assert.Equal(5, m.Seq);
        Assert.Equal(RepoOpRef.Create("app.bsky.feed.post/a", c1), Assert.Single(m.Ops));
        Assert.Equal(TimeText, m.Time);
        Assert.Equal(commit, m.Commit);
        Assert.Equal(CidOf(3), m.PrevData);
        Assert.Equal(car, m.Blocks.ToArray());
    }
}
