using Alteran.Net.Hosting;
using Microsoft.Extensions.Configuration;

namespace Alteran.Net.Tests.Hosting;

/// <summary><c>PDS_RATE_LIMITS_ENABLED</c> (branch bench): on by default, <c>false</c> turns the limiter off, junk is an error.</summary>
public class RateLimitsSwitchTests
{
    private static (AlteranOptions Options, List<string> Errors) Load(string? value)
    {
        var dict = new Dictionary<string, string?>();
        if (value is not null)
        {
            dict["PDS_RATE_LIMITS_ENABLED"] = value;
        }

        var errors = new List<string>();
        AlteranOptions options = AlteranOptionsLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(dict).Build(), errors);
        return (options, errors);
    }

    [Fact]
    public void OnByDefault()
    {
        (AlteranOptions o, List<string> errors) = Load(null);
        Assert.Empty(errors);
        Assert.True(o.RateLimitsEnabled);
        Assert.True(ServerComposition.CreateRateLimitOptions(o).Enabled);
    }

    [Theory]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("true", true)]
    public void ParsesBoolean(string value, bool expected)
    {
        (AlteranOptions o, List<string> errors) = Load(value);
        Assert.Empty(errors);
        Assert.Equal(expected, o.RateLimitsEnabled);
        Assert.Equal(expected, ServerComposition.CreateRateLimitOptions(o).Enabled);
    }

    [Fact]
    public void RejectsJunk()
    {
        (_, List<string> errors) = Load("nope");
        Assert.Contains(errors, e => e.Contains("PDS_RATE_LIMITS_ENABLED", StringComparison.Ordinal));
    }
}
