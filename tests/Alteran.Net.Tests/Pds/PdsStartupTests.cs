using System.Text.Json;
using Alteran.Net.Hosting;
using Alteran.Net.Pds;
using Alteran.Protocol.Crypto;

namespace Alteran.Net.Tests.Pds;

public sealed class PdsStartupTests
{
    [Fact]
    public async Task FirstStart_GeneratesSecretsAccountAndRepo_RestartReusesEverything()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        string secretsPath = Path.Combine(host.DataDirectory, PdsSecrets.FileName);
        Assert.True(File.Exists(secretsPath));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secretsPath));
        Assert.False(File.Exists(secretsPath + ".tmp"));
        string password = host.Password;
        Assert.Contains(password, host.Console.ToString());
        Assert.Contains("alice.test", host.Console.ToString());
        Assert.Equal("did:web:localhost%3A2583", host.Pds.Did);

        var head = host.Pds.Repo.GetLatestCommit(host.Pds.AccountId);
        Assert.NotNull(head);
        string multibase = host.Pds.SigningKey.PublicKey.ToMultibase();
        Assert.Equal(200, (await host.LoginAsync("alice.test", password)).Status);

        await host.RestartAsync();
        Assert.Equal("", host.Console.ToString()); // the password is printed once only
        Assert.Equal("did:web:localhost%3A2583", host.Pds.Did);
        Assert.Equal(multibase, host.Pds.SigningKey.PublicKey.ToMultibase());
        Assert.Equal(head, host.Pds.Repo.GetLatestCommit(host.Pds.AccountId));
        Assert.Equal(200, (await host.LoginAsync("alice.test", password)).Status);
        Reply doc = await host.GetAsync(".well-known/did.json");
        Assert.Equal(multibase, doc.Json.GetProperty("verificationMethod")[0].GetProperty("publicKeyMultibase").GetString());
    }

    [Fact]
    public async Task EnvironmentOverridesGeneratedValues()
    {
        using PrivateKey key = PrivateKey.Generate(KeyAlgorithm.K256);
        string hex = Convert.ToHexStringLower(key.Export());
        await using PdsTestHost host = await PdsTestHost.StartAsync(o =>
        {
            o.Hostname = "pds.example.com";
            o.Handle = "bob.example.com";
            o.UserPassword = "correct horse battery staple";
            o.RepoSigningKey = hex;
        });
        Assert.Equal("did:web:pds.example.com", host.Pds.Did);
        Assert.Equal("bob.example.com", host.Pds.Handle);
        Assert.Equal(key.PublicKey.ToMultibase(), host.Pds.SigningKey.PublicKey.ToMultibase());
        Assert.Equal(200, (await host.LoginAsync("bob.example.com", "correct horse battery staple")).Status);
        Assert.Equal(401, (await host.LoginAsync("bob.example.com", PdsSecrets.LoadOrCreate(host.DataDirectory, "x", "y", out _).Password)).Status);
        Reply doc = await host.GetAsync(".well-known/did.json");
        Assert.Equal("https://pds.example.com", doc.Json.GetProperty("service")[0].GetProperty("serviceEndpoint").GetString());
    }

    [Fact]
    public void SigningKey_AcceptsHexAndMultibase_RejectsOthers()
    {
        using PrivateKey key = PrivateKey.Generate(KeyAlgorithm.K256);
        byte[] raw = key.Export();
        using PrivateKey fromHex = PdsSecrets.ParseSigningKey(Convert.ToHexString(raw));
        Assert.Equal(key.PublicKey, fromHex.PublicKey);
        using PrivateKey fromMultibase = PdsSecrets.ParseSigningKey("z" + Protocol.Base58Btc.Encode([0x81, 0x26, .. raw]));
        Assert.Equal(key.PublicKey, fromMultibase.PublicKey);
        using PrivateKey fromBare = PdsSecrets.ParseSigningKey("z" + Protocol.Base58Btc.Encode(raw));
        Assert.Equal(key.PublicKey, fromBare.PublicKey);
        Assert.Throws<FormatException>(() => PdsSecrets.ParseSigningKey("abc"));
        Assert.Throws<FormatException>(() => PdsSecrets.ParseSigningKey(new string('f', 64))); // not below the curve order
        Assert.Throws<FormatException>(() => PdsSecrets.ParseSigningKey(new string('0', 64)));
        Assert.Throws<FormatException>(() => PdsSecrets.ParseSigningKey(new string('g', 64)));
        Assert.Throws<FormatException>(() => PdsSecrets.ParseSigningKey("z" + Protocol.Base58Btc.Encode(raw[..31])));
    }

    [Fact]
    public async Task Production_RefusesToStartWithoutSecrets()
    {
        var options = new AlteranOptions { IsProduction = true, DataDirectory = Path.Combine(Path.GetTempPath(), "alteran-pds-tests", Guid.NewGuid().ToString("N")) };
        var errors = new List<string>();
        AlteranOptionsLoader.Validate(options, errors);
        Assert.NotEmpty(errors);
        await Assert.ThrowsAsync<InvalidOperationException>(() => PdsRuntime.OpenAsync(options));
        Assert.False(File.Exists(Path.Combine(options.DataDirectory, PdsSecrets.FileName)));
    }

    [Fact]
    public void InitSecrets_AreFreshAndParse()
    {
        PdsSecrets a = PdsSecrets.Generate("did:web:pds.example.com", "pds.example.com");
        PdsSecrets b = PdsSecrets.Generate("did:web:pds.example.com", "pds.example.com");
        Assert.NotEqual(a.Password, b.Password);
        Assert.NotEqual(a.AccessTokenSecret, b.AccessTokenSecret);
        Assert.NotEqual(a.RepoSigningKey, b.RepoSigningKey);
        string lines = a.ToEnvironmentLines("pds.example.com");
        foreach (string key in new[] { "PDS_DID=", "PDS_HANDLE=", "USER_PASSWORD=", "ACCESS_TOKEN=", "REFRESH_TOKEN=", "REPO_SIGNING_KEY=" })
            Assert.Contains("\n" + key, "\n" + lines);
        using PrivateKey k = a.ParseSigningKey();
        Assert.Equal(KeyAlgorithm.K256, k.Algorithm);
        Assert.Equal("did:web:localhost%3A2583", PdsSecrets.DidWebFor("localhost:2583"));
    }

    [Fact]
    public async Task Production_WithAllSecrets_StartsAndWritesNoSecretsFile()
    {
        PdsSecrets s = PdsSecrets.Generate("did:plc:ewvi7nxzyoun6zhxrhs64oiz", "bob.example.com");
        await using PdsTestHost host = await PdsTestHost.StartAsync(o =>
        {
            o.IsProduction = true;
            o.Hostname = "pds.example.com";
            o.Did = s.Did;
            o.Handle = s.Handle;
            o.UserPassword = s.Password;
            o.AccessTokenSecret = s.AccessTokenSecret;
            o.RefreshTokenSecret = s.RefreshTokenSecret;
            o.RepoSigningKey = s.RepoSigningKey;
        });
        Assert.False(File.Exists(Path.Combine(host.DataDirectory, PdsSecrets.FileName)));
        Assert.Equal(200, (await host.LoginAsync("bob.example.com", s.Password)).Status);
        // A did:plc account has no did:web document here; the handle check still answers.
        Assert.Equal(404, (await host.GetAsync(".well-known/did.json")).Status);
        Assert.Equal(s.Did, (await host.GetAsync(".well-known/atproto-did")).Body);
        Assert.Equal("did:web:pds.example.com", (await host.GetAsync("xrpc/com.atproto.server.describeServer")).Str("did"));
    }

    [Fact]
    public async Task CorruptSecretsFile_IsAClearError()
    {
        string dir = Path.Combine(Path.GetTempPath(), "alteran-pds-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, PdsSecrets.FileName), "{\"did\":");
            var ex = await Assert.ThrowsAsync<InvalidDataException>(() => PdsRuntime.OpenAsync(new AlteranOptions { DataDirectory = dir }));
            Assert.Contains(PdsSecrets.FileName, ex.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Ready_ReportsStorage()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        Reply r = await host.GetAsync("ready");
        Assert.Equal(200, r.Status);
        Assert.True(host.Pds.ReadinessCheck.IsReady());
    }

    [Fact]
    public async Task WithoutPdsHostname_TheDefaultHostFollowsTheListenPort()
    {
        string dir = Path.Combine(Path.GetTempPath(), "alteran-pds-tests", Guid.NewGuid().ToString("N"));
        try
        {
            // Opening the runtime does not bind the port: only the advertised identity is checked here.
            var options = new AlteranOptions { DataDirectory = dir, Listen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 25899) };
            using PdsRuntime pds = await PdsRuntime.OpenAsync(options, new PdsRuntimeSettings { PasswordHash = new Alteran.Net.Auth.PasswordHashParameters(64, 1) });
            Assert.Equal("did:web:localhost%3A25899", pds.Did);
            Assert.Equal("http://localhost:25899", pds.PublicUrl);
            Assert.Equal("http://localhost:25899", pds.BuildDidDocument().Service[0].ServiceEndpoint);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
