using System.Buffers;
using Alteran.Protocol.Cbor;
using Alteran.Protocol.Crypto;
using Alteran.Protocol.Repo;

namespace Alteran.Protocol.Tests.Repo;

public sealed class CommitTests
{
    private static readonly Cid Data = Cid.ForDagCbor([0xa0]);

    [Theory]
    [InlineData(KeyAlgorithm.K256)]
    [InlineData(KeyAlgorithm.P256)]
    public void SignVerifyRoundTrip(KeyAlgorithm algorithm)
    {
        using var key = PrivateKey.Generate(algorithm);
        var commit = new Commit(RepoTestData.Did, Data, RepoTestData.Tid(1)).Sign(key);
        Assert.True(commit.IsSigned);
        Assert.Equal(64, commit.Sig.Length);
        Assert.True(commit.VerifySignature(key.PublicKey));

        byte[] block = commit.Encode();
        var decoded = Commit.Decode(block);
        Assert.Equal(commit.Did, decoded.Did);
        Assert.Equal(commit.Data, decoded.Data);
        Assert.Equal(commit.Rev, decoded.Rev);
        Assert.Null(decoded.Prev);
        Assert.Equal(3, decoded.Version);
        Assert.True(decoded.VerifySignature(key.PublicKey));
        Assert.Equal(block, decoded.Encode());

        using var other = PrivateKey.Generate(algorithm);
        Assert.False(decoded.VerifySignature(other.PublicKey));
        Assert.False(new Commit(RepoTestData.Did, Data, RepoTestData.Tid(1)).VerifySignature(key.PublicKey));
    }

    [Fact]
    public void TamperedCommitFailsVerification()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.K256);
        var commit = new Commit(RepoTestData.Did, Data, RepoTestData.Tid(5)).Sign(key);
        byte[] block = commit.Encode();
        int tampered = 0;
        for (int i = 0; i < block.Length; i++)
        {
            var copy = block.ToArray();
            copy[i] ^= 0x01;
            Commit decoded;
            try
            {
                decoded = Commit.Decode(copy);
            }
            catch (RepoException)
            {
                continue;
            }
            Assert.False(decoded.VerifySignature(key.PublicKey), $"flipped byte {i}");
            tampered++;
        }
        Assert.True(tampered > 20);
        // Same fields but a different data CID: a valid commit that the signature does not cover.
        var forged = new Commit(commit.Did, Cid.ForDagCbor([0x80]), commit.Rev);
        Assert.False(forged.VerifySignature(key.PublicKey));
    }

    [Fact]
    public void UnsignedBytesAreCanonicalAndIncludeNullPrev()
    {
        var commit = new Commit(RepoTestData.Did, Data, RepoTestData.Tid(2));
        byte[] unsigned = commit.EncodeUnsigned();
        var r = new DagCborReader(unsigned);
        Assert.Equal(5, r.ReadMapHeader());
        Assert.Equal("did", System.Text.Encoding.ASCII.GetString(r.ReadMapKey()));
        Assert.Equal(RepoTestData.Did, r.ReadTextString());
        Assert.Equal("rev", System.Text.Encoding.ASCII.GetString(r.ReadMapKey()));
        r.SkipValue();
        Assert.Equal("data", System.Text.Encoding.ASCII.GetString(r.ReadMapKey()));
        Assert.Equal(Data, r.ReadCid());
        Assert.Equal("prev", System.Text.Encoding.ASCII.GetString(r.ReadMapKey()));
        r.ReadNull();
        Assert.Equal("version", System.Text.Encoding.ASCII.GetString(r.ReadMapKey()));
        Assert.Equal(3, r.ReadInt());
        r.EnsureEnd();
        Assert.Throws<InvalidOperationException>(() => commit.Encode());
    }

    [Fact]
    public void PrevCidRoundTrips()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.K256);
        var prev = Cid.ForDagCbor([0x01]);
        var commit = new Commit(RepoTestData.Did, Data, RepoTestData.Tid(3), prev).Sign(key);
        var decoded = Commit.Decode(commit.Encode());
        Assert.Equal(prev, decoded.Prev);
        Assert.True(decoded.VerifySignature(key.PublicKey));
    }

    private delegate void Fields(ref DagCborWriter w);

    private static byte[] Map(int count, Fields write)
    {
        var buf = new ArrayBufferWriter<byte>();
        var w = new DagCborWriter(buf);
        w.WriteMapHeader(count);
        write(ref w);
        w.Flush();
        return buf.WrittenSpan.ToArray();
    }

    private static void Did(ref DagCborWriter w) { w.WriteText("did"u8); w.WriteText(RepoTestData.Did); }
    private static void Rev(ref DagCborWriter w) { w.WriteText("rev"u8); w.WriteText(RepoTestData.Tid(9)); }
    private static void Sig(ref DagCborWriter w, int length = 64) { w.WriteText("sig"u8); w.WriteBytes(new byte[length]); }
    private static void DataField(ref DagCborWriter w) { w.WriteText("data"u8); w.WriteCid(Data); }
    private static void Prev(ref DagCborWriter w) { w.WriteText("prev"u8); w.WriteNull(); }
    private static void Version(ref DagCborWriter w, int v = 3) { w.WriteText("version"u8); w.WriteInt(v); }

    [Fact]
    public void StrictDecodeRejectsBadCommits()
    {
        var good = Map(6, (ref DagCborWriter w) => { Did(ref w); Rev(ref w); Sig(ref w); DataField(ref w); Prev(ref w); Version(ref w); });
        Assert.Equal(Data, Commit.Decode(good).Data);

        var bad = new Dictionary<string, byte[]>
        {
            ["missing prev"] = Map(5, (ref DagCborWriter w) => { Did(ref w); Rev(ref w); Sig(ref w); DataField(ref w); Version(ref w); }),
            ["missing sig"] = Map(5, (ref DagCborWriter w) => { Did(ref w); Rev(ref w); DataField(ref w); Prev(ref w); Version(ref w); }),
            ["extra field"] = Map(7, (ref DagCborWriter w) => { Did(ref w); Rev(ref w); Sig(ref w); DataField(ref w); Prev(ref w); Version(ref w); w.WriteText("zzzzzzzz"u8); w.WriteInt(1); }),
            ["version 2"] = Map(6, (ref DagCborWriter w) => { Did(ref w); Rev(ref w); Sig(ref w); DataField(ref w); Prev(ref w); Version(ref w, 2); }),
            ["short sig"] = Map(6, (ref DagCborWriter w) => { Did(ref w); Rev(ref w); Sig(ref w, 63); DataField(ref w); Prev(ref w); Version(ref w); }),
            ["bad did"] = Map(6, (ref DagCborWriter w) => { w.WriteText("did"u8); w.WriteText("nope"u8); Rev(ref w); Sig(ref w); DataField(ref w); Prev(ref w); Version(ref w); }),
            ["bad rev"] = Map(6, (ref DagCborWriter w) => { Did(ref w); w.WriteText("rev"u8); w.WriteText("1"u8); Sig(ref w); DataField(ref w); Prev(ref w); Version(ref w); }),
            ["data not a cid"] = Map(6, (ref DagCborWriter w) => { Did(ref w); Rev(ref w); Sig(ref w); w.WriteText("data"u8); w.WriteBytes(new byte[36]); Prev(ref w); Version(ref w); }),
            ["trailing bytes"] = [.. good, 0xf6],
            ["not a map"] = [0x80],
            // Keys out of canonical order (data before did).
            ["unsorted"] = Map(6, (ref DagCborWriter w) => { DataField(ref w); Did(ref w); Rev(ref w); Sig(ref w); Prev(ref w); Version(ref w); }),
        };
        for (int n = 0; n < good.Length; n++)
            bad[$"prefix {n}"] = good[..n];
        foreach (var (name, block) in bad)
            Assert.True(Record.Exception(() => Commit.Decode(block)) is RepoException, name);
    }

    [Fact]
    public void ConstructorValidates()
    {
        Assert.Throws<ArgumentException>(() => new Commit("not-a-did", Data, RepoTestData.Tid(1)));
        Assert.Throws<ArgumentException>(() => new Commit(RepoTestData.Did, Data, "3jzfcijpj2z2"));
        Assert.Throws<ArgumentException>(() => new Commit(RepoTestData.Did, default, RepoTestData.Tid(1)));
    }
}
