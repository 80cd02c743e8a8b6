using System.Security.Cryptography;
using System.Text.Json;
using Alteran.Protocol;
using Alteran.Protocol.Crypto;

namespace Alteran.Net.Pds;

/// <summary>
/// The single account's identity and secrets: what <c>data/secrets.json</c> holds in development and what the
/// environment (<c>PDS_DID</c>, <c>PDS_HANDLE</c>, <c>USER_PASSWORD</c>, <c>ACCESS_TOKEN</c>, <c>REFRESH_TOKEN</c>,
/// <c>REPO_SIGNING_KEY</c>) supplies in production. <see cref="RepoSigningKey"/> is a K-256 private key as 64 hex
/// characters, or multibase (<c>z</c> + base58btc, optionally with the multicodec <c>secp256k1-priv</c> prefix 0x1301).
/// </summary>
public sealed class PdsSecrets
{
    /// <summary>The account DID.</summary>
    public required string Did { get; set; }
    /// <summary>The account handle.</summary>
    public required string Handle { get; set; }
    /// <summary>The account password (plain text; the store keeps only its Argon2id hash).</summary>
    public required string Password { get; set; }
    /// <summary>HMAC secret of session JWTs (both access and refresh tokens are signed with it, as in the reference PDS's JWT_SECRET).</summary>
    public required string AccessTokenSecret { get; set; }
    /// <summary>Second secret; kept for configuration compatibility (refresh tokens are also checked against the store).</summary>
    public required string RefreshTokenSecret { get; set; }
    /// <summary>K-256 repo signing key (hex or multibase).</summary>
    public required string RepoSigningKey { get; set; }

    /// <summary>Default host name when <c>PDS_HOSTNAME</c> is unset.</summary>
    public const string DefaultHostname = "localhost:2583";

    /// <summary>
    /// The host name when <c>PDS_HOSTNAME</c> is unset: <c>localhost:&lt;listen port&gt;</c>, so that a development
    /// server on another port advertises an endpoint that reaches it (clients follow the DID document's endpoint).
    /// </summary>
    public static string DefaultHostnameFor(System.Net.IPEndPoint listen) =>
        listen.Port > 0 ? "localhost:" + listen.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : DefaultHostname;

    /// <summary>Default handle when <c>PDS_HANDLE</c> is unset and the host name is not itself a usable handle.</summary>
    public const string DefaultHandle = "alice.test";

    /// <summary>The file name inside the data directory.</summary>
    public const string FileName = "secrets.json";

    /// <summary><c>did:web:</c> + host with the port colon percent-encoded.</summary>
    public static string DidWebFor(string hostname) => "did:web:" + hostname.Replace(":", "%3A", StringComparison.Ordinal);

    /// <summary>The handle to use when none is configured: the host name when it is a valid handle, else <see cref="DefaultHandle"/>.</summary>
    public static string DefaultHandleFor(string hostname) =>
        Protocol.Syntax.Handle.IsValid(hostname.AsSpan()) && !hostname.StartsWith("localhost", StringComparison.OrdinalIgnoreCase)
            ? hostname.ToLowerInvariant() : DefaultHandle;

    /// <summary>Fresh secrets for <paramref name="did"/> / <paramref name="handle"/>.</summary>
    public static PdsSecrets Generate(string did, string handle)
    {
        using PrivateKey key = PrivateKey.Generate(KeyAlgorithm.K256);
        return new PdsSecrets
        {
            Did = did,
            Handle = handle,
            Password = RandomText(18),
            AccessTokenSecret = RandomHex(32),
            RefreshTokenSecret = RandomHex(32),
            RepoSigningKey = Convert.ToHexStringLower(key.Export()),
        };
    }

    /// <summary>
    /// Development: loads <c>secrets.json</c> from <paramref name="dataDirectory"/> or creates it (mode 0600, written
    /// atomically); <paramref name="created"/> tells whether it was just generated (then print the password once).
    /// </summary>
    public static PdsSecrets LoadOrCreate(string dataDirectory, string did, string handle, out bool created)
    {
        string path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            created = false;
            byte[] bytes = File.ReadAllBytes(path);
            try
            {
                return JsonSerializer.Deserialize(bytes, PdsJsonContext.Default.PdsSecrets)
                    ?? throw new InvalidDataException($"{path} is empty.");
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path} is not a valid secrets file: {ex.Message}", ex);
            }
        }

        PdsSecrets secrets = Generate(did, handle);
        Directory.CreateDirectory(dataDirectory);
        string temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        {
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            JsonSerializer.Serialize(stream, secrets, PdsJsonContext.Default.PdsSecrets);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: false);
        created = true;
        return secrets;
    }

    /// <summary>Parses <see cref="RepoSigningKey"/>.</summary>
    public PrivateKey ParseSigningKey() => ParseSigningKey(RepoSigningKey);

    /// <summary>Parses a K-256 private key given as 64 hex characters or multibase.</summary>
    /// <exception cref="FormatException">Neither form.</exception>
    public static PrivateKey ParseSigningKey(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        byte[] raw;
        if (text.Length == 64 && IsHex(text))
        {
            raw = Convert.FromHexString(text);
        }
        else if (text.Length > 1 && text[0] == 'z' && Base58Btc.TryDecode(text.AsSpan(1), out byte[] decoded))
        {
            raw = decoded.Length == 34 && decoded[0] == 0x81 && decoded[1] == 0x26 ? decoded[2..] : decoded;
            if (raw.Length != PrivateKey.RawLength)
                throw new FormatException("REPO_SIGNING_KEY multibase must decode to a 32-byte K-256 key.");
        }
        else
        {
            throw new FormatException("REPO_SIGNING_KEY must be 64 hex characters or multibase (z…) K-256 private key.");
        }
        try
        {
            return PrivateKey.Import(KeyAlgorithm.K256, raw);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
        }
    }

    /// <summary>The environment lines <c>alteran init</c> prints.</summary>
    public string ToEnvironmentLines(string hostname) =>
        $"PDS_HOSTNAME={hostname}\nPDS_DID={Did}\nPDS_HANDLE={Handle}\nUSER_PASSWORD={Password}\n" +
        $"ACCESS_TOKEN={AccessTokenSecret}\nREFRESH_TOKEN={RefreshTokenSecret}\nREPO_SIGNING_KEY={RepoSigningKey}\n";

    private static bool IsHex(string s)
    {
        foreach (char c in s)
            if (!char.IsAsciiHexDigit(c))
                return false;
        return true;
    }

    private static string RandomHex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    private static string RandomText(int length) =>
        RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", length);
}
