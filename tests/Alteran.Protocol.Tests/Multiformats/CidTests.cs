using System.Text.Json;
using Alteran.Protocol;

namespace Alteran.Protocol.Tests.Multiformats;

public class CidTests
{
    private static string Fixture(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "fixtures", .. parts]);

    [Fact]
    public void DataModelFixtureCidsMatchTheirBytes()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Fixture("interop", "data-model", "data-model-fixtures.json")));
        int n = 0;
        foreach (var c in doc.RootElement.EnumerateArray())
        {
            byte[] cbor = DecodeBase64NoPad(c.GetProperty("cbor_base64").GetString()!);
            string expected = c.GetProperty("cid").GetString()!;
            var cid = Cid.ForDagCbor(cbor);
            Assert.Equal(expected, cid.ToString());
            Assert.True(Cid.TryParse(expected, out var parsed));
            Assert.Equal(cid, parsed);
            Assert.Equal(cid.GetHashCode(), parsed.GetHashCode());
            Assert.True(cid.Matches(cbor));
            n++;
        }
        Assert.Equal(3, n);
    }

    [Fact]
    public void BinaryRoundTrip()
    {
        var cid = Cid.ForRaw("hello"u8);
        byte[] bin = cid.ToBytes();
        Assert.Equal(Cid.ByteLength, bin.Length);
        Assert.Equal(new byte[] { 0x01, 0x55, 0x12, 0x20 }, bin[..4]);
        Assert.Equal(cid, Cid.Read(bin));
        Assert.Equal(CidCodec.Raw, cid.Codec);
        Assert.StartsWith("bafkrei", cid.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("b")]
    [InlineData("QmY7Yh4UquoXHLPFo2XbhXkhBvFoPwmQUSa92pxnxjQuPU")] // CIDv0 is not allowed in atproto
    [InlineData("zdj7Wd8AMwqnhJGQCbFxBVodGSBG84TM7Hs1rcJuQMwTyfEDS")] // base58 CIDv1: only base32 is blessed
    [InlineData("BAFYREIDFAYVFUWQA7QLNOPDJIQRXZS6BLMOEU4RUJCJTNCI5BEH5DMVYSE")] // upper case
    [InlineData("bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beh5dmvys")] // truncated
    [InlineData("bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beh5dmvysee")] // one too many
    [InlineData("bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beh5dmvys1")] // not base32
    public void RejectsNonBlessedOrMalformedText(string text)
    {
        Assert.False(Cid.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Cid.Parse(text));
    }

    [Fact]
    public void RejectsNonBlessedBinary()
    {
        byte[] good = Cid.ForDagCbor("x"u8).ToBytes();
        Assert.True(Cid.TryReadExact(good, out _));
        for (int len = 0; len < good.Length; len++)
            Assert.False(Cid.TryRead(good.AsSpan(0, len), out _));
        foreach (var (index, value) in new[] { (0, (byte)0x00), (0, (byte)0x12), (1, (byte)0x70), (2, (byte)0x13), (3, (byte)0x40) })
        {
            byte[] bad = (byte[])good.Clone();
            bad[index] = value;
            Assert.False(Cid.TryRead(bad, out _));
        }
        Assert.False(Cid.TryReadExact([.. good, 0], out _));
    }

    [Fact]
    public void DefaultIsEmpty()
    {
        Cid none = default;
        Assert.True(none.IsEmpty);
        Assert.Equal("", none.ToString());
        Assert.Throws<InvalidOperationException>(() => none.ToBytes());
        Assert.NotEqual(none, Cid.ForRaw([]));
    }

    [Fact]
    public void OrderingFollowsBinaryForm()
    {
        var rnd = new Random(7);
        var cids = new List<Cid>();
        for (int i = 0; i < 200; i++)
            cids.Add(Cid.Compute(i % 2 == 0 ? CidCodec.Raw : CidCodec.DagCbor, BitConverter.GetBytes(rnd.Next())));
        cids.Sort();
        for (int i = 1; i < cids.Count; i++)
            Assert.True(cids[i - 1].ToBytes().AsSpan().SequenceCompareTo(cids[i].ToBytes()) <= 0);
    }

    internal static byte[] DecodeBase64NoPad(string s) => Convert.FromBase64String(s.PadRight((s.Length + 3) / 4 * 4, '='));
}
