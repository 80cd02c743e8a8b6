using System.Net;
using Alteran.Net.Hosting;
using Microsoft.Extensions.Configuration;

namespace Alteran.Net.Tests.Hosting;

public class AlteranOptionsTests
{
    private static (AlteranOptions Options, List<string> Errors) Load(params (string Key, string Value)[] values)
    {
        var dict = new Dictionary<string, string?>();
        foreach ((string k, string v) in values)
        {
            dict[k] = v;
        }

        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(dict).Build();
        var errors = new List<string>();
        AlteranOptions options = AlteranOptionsLoader.Load(config, errors);
        AlteranOptionsLoader.Validate(options, errors);
        return (options, errors);
    }

    [Fact]
    public void DefaultsAreDevelopmentOnLoopback()
    {
        (AlteranOptions o, List<string> errors) = Load();
        Assert.Empty(errors);
        Assert.False(o.IsProduction);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 2583), o.Listen);
        Assert.Equal("data", o.DataDirectory);
        Assert.Equal(["*"], o.CorsOrigins);
        Assert.Equal(150 * 1024, o.MaxJsonBytes);
    }

    [Fact]
    public void ProductionRequiresSecretsAndRefusesWildcardCors()
    {
        (_, List<string> errors) = Load(("PDS_ENV", "production"), ("PDS_CORS_ORIGIN", "*"));
        foreach (string key in new[] { "PDS_HOSTNAME", "PDS_DID", "PDS_HANDLE", "USER_PASSWORD", "ACCESS_TOKEN", "REFRESH_TOKEN", "REPO_SIGNING_KEY" })
        {
            Assert.Contains(errors, e => e.StartsWith(key, StringComparison.Ordinal));
        }

        Assert.Contains(errors, e => e.Contains("'*' is refused"));
    }

    [Fact]
    public void ProductionWithEverythingIsValid()
    {
        (AlteranOptions o, List<string> errors) = Load(
            ("PDS_ENV", "production"), ("PDS_HOSTNAME", "pds.example.com"), ("PDS_DID", "did:plc:ewvi7nxzyoun6zhxrhs64oiz"),
            ("PDS_HANDLE", "alice.example.com"), ("USER_PASSWORD", "pw"), ("ACCESS_TOKEN", "a"), ("REFRESH_TOKEN", "r"),
            ("REPO_SIGNING_KEY", "k"), ("PDS_CORS_ORIGIN", "https://bsky.app, https://example.com"), ("ALTERAN_LISTEN", "[::1]:8080"));
        Assert.Empty(errors);
        Assert.True(o.IsProduction);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 8080), o.Listen);
        Assert.Equal(["https://bsky.app", "https://example.com"], o.CorsOrigins);
        Assert.Empty(Load(("PDS_ENV", "production"), ("PDS_HOSTNAME", "pds.example.com")).Options.CorsOrigins);
    }

    [Theory]
    [InlineData("PDS_DID", "plc:abc")]
    [InlineData("PDS_DID", "did:PLC:abc")]
    [InlineData("PDS_DID", "did:plc:")]
    [InlineData("PDS_HANDLE", "nodot")]
    [InlineData("PDS_HANDLE", "-bad.example.com")]
    [InlineData("PDS_HANDLE", "alice.123")]
    [InlineData("PDS_HOSTNAME", "https://pds.example.com")]
    [InlineData("PDS_HOSTNAME", "localhost:")]
    [InlineData("PDS_HOSTNAME", "localhost:0")]
    [InlineData("PDS_HOSTNAME", "localhost:65536")]
    [InlineData("PDS_HOSTNAME", "localhost:08080")]
    [InlineData("PDS_HOSTNAME", "pds.example.com/path")]
    [InlineData("PDS_MAX_JSON_BYTES", "0")]
    [InlineData("PDS_MAX_BLOB_SIZE", "-5")]
    [InlineData("PDS_RATE_LIMIT_PER_MIN", "lots")]
    [InlineData("ALTERAN_LISTEN", "localhost")]
    [InlineData("ALTERAN_LISTEN", "127.0.0.1:99999")]
    [InlineData("ALTERAN_LISTEN", "127.0.0.1")]
    [InlineData("ALTERAN_HEADER_TIMEOUT_SECONDS", "0")]
    [InlineData("PDS_ENV", "staging")]
    [InlineData("PDS_CORS_ORIGIN", "bsky.app")]
    [InlineData("ALTERAN_TLS_CERT", "/nonexistent.pem")]
    public void RejectsInvalidValuesWithTheKeyInTheMessage(string key, string value)
    {
        (_, List<string> errors) = Load((key, value));
        Assert.Contains(errors, e => e.Contains(key.StartsWith("ALTERAN_TLS", StringComparison.Ordinal) ? "ALTERAN_TLS" : key, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("pds.example.com")]
    [InlineData("localhost")]
    [InlineData("localhost:25899")]
    [InlineData("pds.example.com:8443")]
    public void AcceptsHostNamesWithAnOptionalPort(string host)
    {
        (AlteranOptions options, List<string> errors) = Load(("PDS_HOSTNAME", host));
        Assert.Empty(errors);
        Assert.Equal(host, options.Hostname);
    }
}
