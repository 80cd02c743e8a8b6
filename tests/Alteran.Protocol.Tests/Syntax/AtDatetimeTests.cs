using System.Globalization;
using System.Text;
using Alteran.Protocol.Syntax;

namespace Alteran.Protocol.Tests.Syntax;

public sealed class AtDatetimeTests
{
    [Fact]
    public void AgreesWithTheBclParserOnEveryValidVector()
    {
        // The BCL parser is the oracle for years 1-9999 and up to 7 fraction digits.
        int compared = 0;
        foreach (string value in SyntaxVectors.Read("datetime_syntax_valid.txt"))
        {
            int dot = value.IndexOf('.');
            int zone = value.IndexOfAny(['Z', '+', '-'], 19);
            if (value.StartsWith("0000", StringComparison.Ordinal) || (dot > 0 && zone - dot - 1 > 7))
                continue;
            var expected = DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            Assert.True(AtDatetime.TryParseDateTimeOffset(value, out DateTimeOffset actual), value);
            Assert.Equal(expected.UtcTicks, actual.UtcTicks);
            Assert.Equal(TimeSpan.Zero, actual.Offset);
            Assert.True(AtDatetime.TryParseDateTimeOffset(Encoding.ASCII.GetBytes(value), out DateTimeOffset fromUtf8));
            Assert.Equal(actual, fromUtf8);
            compared++;
        }
        Assert.True(compared > 20);
    }

    [Fact]
    public void NormalisesToUtc()
    {
        AtDatetime a = AtDatetime.Parse("1985-04-12T23:20:50.123-07:00");
        AtDatetime b = AtDatetime.Parse("1985-04-13T06:20:50.123Z");
        Assert.Equal(a, b);
        Assert.Equal("1985-04-13T06:20:50.123Z", a.ToString());
        Assert.True(AtDatetime.Parse("1985-04-12T23:20:50.123+01:45") < b);
    }

    [Theory]
    [InlineData("1985-04-12T23:20:50Z", "1985-04-12T23:20:50.000Z")]
    [InlineData("1985-04-12T23:20:50.1Z", "1985-04-12T23:20:50.100Z")]
    [InlineData("1985-04-12T23:20:50.123456Z", "1985-04-12T23:20:50.123456Z")]
    [InlineData("1985-04-12T23:20:50.1234567899Z", "1985-04-12T23:20:50.1234567Z")]
    [InlineData("0000-01-01T00:00:00.000Z", "0000-01-01T00:00:00.000Z")]
    [InlineData("0000-12-31T23:59:59.999Z", "0000-12-31T23:59:59.999Z")]
    [InlineData("0000-02-29T12:00:00Z", "0000-02-29T12:00:00.000Z")]
    [InlineData("0001-01-01T00:30:00+01:00", "0000-12-31T23:30:00.000Z")]
    [InlineData("9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59.9999999Z")]
    public void FormatsTheCanonicalUtcForm(string input, string expected)
    {
        AtDatetime dt = AtDatetime.Parse(input);
        Assert.Equal(expected, dt.ToString());
        Assert.True(AtDatetime.IsValid(dt.ToString()));
        Assert.Equal(dt, AtDatetime.Parse(dt.ToString()));
    }

    [Fact]
    public void YearZeroParsesButDoesNotFitDateTimeOffset()
    {
        AtDatetime zero = AtDatetime.Parse("0000-01-01T00:00:00.000Z");
        Assert.False(zero.FitsDateTimeOffset);
        Assert.Throws<OverflowException>(() => zero.UtcDateTime);
        Assert.False(AtDatetime.TryParseDateTimeOffset("0000-06-01T00:00:00Z", out _));
        Assert.Equal(DateTimeOffset.MinValue, AtDatetime.Parse("0001-01-01T00:00:00Z").UtcDateTime);
    }

    [Theory]
    [InlineData("1985-02-29T00:00:00Z")] // not a leap year
    [InlineData("1900-02-29T00:00:00Z")] // not a leap year
    [InlineData("1985-04-31T00:00:00Z")]
    [InlineData("1985-04-12T24:00:00Z")]
    [InlineData("1985-04-12T23:60:00Z")]
    [InlineData("1985-04-12T23:59:60Z")] // no leap seconds
    [InlineData("1985-04-12T23:59:59+24:00")]
    [InlineData("9999-12-31T23:59:59-00:01")] // past year 9999 in UTC
    [InlineData("0000-01-01T00:59:59+01:00")]
    public void CalendarErrorsPassSyntaxButFailParse(string value)
    {
        Assert.True(AtDatetime.IsValid(value));
        Assert.False(AtDatetime.TryParse(value, out _));
        Assert.False(AtDatetime.TryParse(Encoding.ASCII.GetBytes(value), out _));
    }

    [Fact]
    public void LeapDayParses()
    {
        Assert.True(AtDatetime.TryParse("2000-02-29T00:00:00Z", out _));
        Assert.True(AtDatetime.TryParse("2024-02-29T00:00:00Z", out _));
    }

    [Fact]
    public void FromDateTimeOffsetRoundTrips()
    {
        var now = new DateTimeOffset(2026, 11, 24, 16, 40, 1, 234, TimeSpan.FromHours(2));
        AtDatetime dt = AtDatetime.FromDateTimeOffset(now);
        Assert.Equal(now.UtcTicks, dt.UtcDateTime.UtcTicks);
        Assert.Equal("2026-11-24T14:40:01.234Z", dt.ToString());
    }
}
