using Alteran.Protocol;

namespace Alteran.Protocol.Tests.Multiformats;

public class MultibaseTests
{
    [Theory]
    [InlineData(0UL, new byte[] { 0x00 })]
    [InlineData(1UL, new byte[] { 0x01 })]
    [InlineData(127UL, new byte[] { 0x7f })]
    [InlineData(128UL, new byte[] { 0x80, 0x01 })]
    [InlineData(255UL, new byte[] { 0xff, 0x01 })]
    [InlineData(300UL, new byte[] { 0xac, 0x02 })]
    [InlineData(16384UL, new byte[] { 0x80, 0x80, 0x01 })]
    public void VarintRoundTrip(ulong value, byte[] encoded)
    {
        Span<byte> buf = stackalloc byte[Varint.MaxLength];
        int n = Varint.Write(buf, value);
        Assert.Equal(encoded, buf[..n].ToArray());
        Assert.Equal(n, Varint.GetLength(value));
        Assert.Equal(VarintStatus.Ok, Varint.TryRead(encoded, out ulong back, out int len));
        Assert.Equal(value, back);
        Assert.Equal(n, len);
        for (int i = 0; i < encoded.Length; i++)
            Assert.Equal(VarintStatus.NeedMore, Varint.TryRead(encoded.AsSpan(0, i), out _, out _));
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x00 })] // non-minimal zero
    [InlineData(new byte[] { 0x81, 0x00 })] // non-minimal 1
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 })] // > 9 bytes
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80 })] // 9 continuation bytes
    public void VarintRejectsNonMinimalAndOverlong(byte[] encoded) =>
        Assert.Equal(VarintStatus.Invalid, Varint.TryRead(encoded, out _, out _));

    [Fact]
    public void Base32MatchesRfc4648LowerCase()
    {
        // RFC 4648 §10 vectors, lower-cased and without padding.
        string[] expected = ["", "my", "mzxq", "mzxw6", "mzxw6yq", "mzxw6ytb", "mzxw6ytboi"];
        byte[] foobar = "foobar"u8.ToArray();
        for (int i = 0; i <= 6; i++)
        {
            Assert.Equal(expected[i], Base32.Encode(foobar.AsSpan(0, i)));
            var dst = new byte[i];
            Assert.True(Base32.TryDecode(expected[i], dst, out int n));
            Assert.Equal(i, n);
            Assert.Equal(foobar[..i], dst);
        }
        Assert.False(Base32.TryDecode("mzxw6yr", new byte[8], out _)); // non-zero trailing bits
        Assert.False(Base32.TryDecode("m", new byte[8], out _)); // impossible length
        Assert.False(Base32.TryDecode("MZXQ", new byte[8], out _));
    }

    [Fact]
    public void Base58RoundTripAndLeadingZeros()
    {
        Assert.Equal("", Base58Btc.Encode([]));
        Assert.Equal("1", Base58Btc.Encode([0]));
        Assert.Equal("StV1DL6CwTryKyV", Base58Btc.Encode("hello world"u8));
        Assert.True(Base58Btc.TryDecode("StV1DL6CwTryKyV", out var hw));
        Assert.Equal("hello world"u8.ToArray(), hw);
        var rnd = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            var data = new byte[rnd.Next(0, 70)];
            rnd.NextBytes(data);
            if (data.Length > 2 && i % 3 == 0)
                data[0] = data[1] = 0;
            Assert.True(Base58Btc.TryDecode(Base58Btc.Encode(data), out var back));
            Assert.Equal(data, back);
        }
        Assert.False(Base58Btc.TryDecode("0OIl", out _));
        Assert.False(Base58Btc.TryDecode(new string('z', Base58Btc.MaxDecodeChars + 1), out _));
    }
}
