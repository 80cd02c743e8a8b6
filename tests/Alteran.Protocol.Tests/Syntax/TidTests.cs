using System.Text;
using Alteran.Protocol.Syntax;

namespace Alteran.Protocol.Tests.Syntax;

public sealed class TidTests
{
    private const string Alphabet = "234567abcdefghijklmnopqrstuvwxyz";

    // Independent reference: big-endian base32-sortable digits of the 64-bit value, 13 digits.
    private static string Reference(long microseconds, int clockId)
    {
        ulong v = ((ulong)microseconds << 10) | (uint)clockId;
        var sb = new StringBuilder();
        for (int shift = 60; shift >= 0; shift -= 5)
            sb.Append(Alphabet[(int)((v >> shift) & 31)]);
        return sb.ToString();
    }

    [Theory]
    [InlineData(0L, 0)]
    [InlineData(1L, 1)]
    [InlineData(1_700_000_000_000_000L, 513)]
    [InlineData(Tid.MaxTimestamp, Tid.MaxClockId)]
    public void FromTimestampRoundTrips(long microseconds, int clockId)
    {
        Tid tid = Tid.FromTimestamp(microseconds, clockId);
        Assert.Equal(microseconds, tid.Timestamp);
        Assert.Equal(clockId, tid.ClockId);
        string text = tid.ToString();
        Assert.Equal(Reference(microseconds, clockId), text);
        Assert.True(Tid.IsValid(text));
        Assert.Equal(tid, Tid.Parse(text));
        Assert.Equal(tid, Tid.Parse(Encoding.ASCII.GetBytes(text)));
        Span<byte> utf8 = stackalloc byte[13];
        tid.FormatTo(utf8);
        Assert.Equal(text, Encoding.ASCII.GetString(utf8));
    }

    [Fact]
    public void DefaultIsAllTwos() => Assert.Equal("2222222222222", default(Tid).ToString());

    [Fact]
    public void NumericOrderMatchesTextOrder()
    {
        var random = new Random(1234);
        for (int n = 0; n < 2000; n++)
        {
            Tid a = Tid.FromTimestamp(random.NextInt64(Tid.MaxTimestamp + 1), random.Next(1024));
            Tid b = Tid.FromTimestamp(random.NextInt64(Tid.MaxTimestamp + 1), random.Next(1024));
            Assert.Equal(Math.Sign(string.CompareOrdinal(a.ToString(), b.ToString())), Math.Sign(a.CompareTo(b)));
            Assert.Equal(a < b, string.CompareOrdinal(a.ToString(), b.ToString()) < 0);
        }
    }

    [Fact]
    public void RejectsOutOfRangeParts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tid.FromTimestamp(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tid.FromTimestamp(Tid.MaxTimestamp + 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tid.FromTimestamp(0, 1024));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tid.FromTimestamp(0, -1));
        Assert.Throws<FormatException>(() => Tid.Parse("3jzfcijpj2z2"));
        Assert.Throws<ArgumentException>(() => default(Tid).FormatTo(new char[12]));
    }

    [Fact]
    public void HighBitValuesAllowedBySyntaxKeepTheirBits()
    {
        // 'j' is the largest first digit the vectors allow; it sets bit 63.
        Tid tid = Tid.Parse("jzzzzzzzzzzzz");
        Assert.Equal("jzzzzzzzzzzzz", tid.ToString());
        Assert.Equal(ulong.MaxValue >> 1 | 1UL << 63, tid.Value);
        Assert.False(Tid.IsValid("kzzzzzzzzzzzz"));
    }
}
