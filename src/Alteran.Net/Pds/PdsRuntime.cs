using System.Security.Cryptography;
using Alteran.Net.Auth;
using Alteran.Net.Firehose;
using Alteran.Net.Hosting;
using Alteran.Net.Jetstream;
using Alteran.Net.Repo;
using Alteran.Protocol.Crypto;
using Alteran.Storage;
using Alteran.Storage.Accounts;

namespace Alteran.Net.Pds;

/// <summary>Knobs tests (and future options) use; defaults are the production values.</summary>
public sealed class PdsRuntimeSettings
{
    /// <summary>Access-token lifetime (reference: 2 h).</summary>
    public TimeSpan AccessLifetime { get; init; } = TimeSpan.FromMinutes(120);
    /// <summary>Refresh-token lifetime (reference: 90 days).</summary>
    public TimeSpan RefreshLifetime { get; init; } = TimeSpan.FromDays(90);
    /// <summary>Refresh reuse grace period (reference: 2 h).</summary>
    public TimeSpan RefreshGracePeriod { get; init; } = TimeSpan.FromHours(2);
    /// <summary>Clock leeway for token times.</summary>
    public TimeSpan ClockLeeway { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Login lockout policy (5 failures / 15 min).</summary>
    public LoginThrottleOptions LoginThrottle { get; init; } = new();
    /// <summary>Per-client-address lockout: more generous (20 failures / 15 min), as one address may host several users.</summary>
    public LoginThrottleOptions IpLoginThrottle { get; init; } = new() { MaxFailures = 20 };
    /// <summary>Argon2id cost.</summary>
    public PasswordHashParameters? PasswordHash { get; init; }
    /// <summary>Clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
    /// <summary>Store tuning.</summary>
    public StoreOptions? Store { get; init; }
    /// <summary>Firehose ring and subscriber policy.</summary>
    public FirehoseOptions? Firehose { get; init; }
}

/// <summary>
/// The running single-account PDS: store, repo service, identity, secrets, session tokens, authenticator. Opening
/// it is the start-up sequence: resolve secrets (<see cref="PdsSecrets"/>), open <c>&lt;data&gt;/store</c>, create the
/// account and its repo (first signed commit) when absent, and on later starts reconcile the stored row with the
/// configuration (configured handle, password and signing key win).
/// </summary>
public sealed class PdsRuntime : IDisposable
{
    private volatile string _handle;

    private PdsRuntime(AlteranOptions options, PdsSecrets secrets, string hostname, AlteranStore store, Sequencer sequencer,
        RepoService repo, PrivateKey signingKey, long accountId, string handle, PdsRuntimeSettings settings)
    {
        Options = options;
        Sequencer = sequencer;
        // firehose branch: one subscriber cap for both stream endpoints; the Jetstream feed tails the sequencer.
        SubscriberLimiter limiter = new(sequencer.Options.MaxSubscribers, sequencer.Options.MaxSubscribersPerIp, sequencer.Options.ExemptLoopbackFromPerIpCap);
        Firehose = new FirehoseXrpc(sequencer, limiter);
        JetstreamFeed = new JetstreamFeed(sequencer);
        Jetstream = new JetstreamSubscription(JetstreamFeed, limiter, settings.Time);
        Secrets = secrets;
        Hostname = hostname;
        Store = store;
        Repo = repo;
        SigningKey = signingKey;
        AccountId = accountId;
        _handle = handle;
        Settings = settings;
        Time = settings.Time;
        Sessions = new SessionStore(store);
        Tokens = new SessionTokens(new SessionTokenOptions
        {
            Secret = System.Text.Encoding.UTF8.GetBytes(secrets.AccessTokenSecret),
            ServiceDid = ServiceDid,
            AccessLifetime = settings.AccessLifetime,
            RefreshLifetime = settings.RefreshLifetime,
            RefreshGracePeriod = settings.RefreshGracePeriod,
            ClockLeeway = settings.ClockLeeway,
        }, Sessions, settings.Time);
        Hasher = new PasswordHasher(settings.PasswordHash);
        Throttle = new LoginThrottle(settings.LoginThrottle, settings.Time);
        IpThrottle = new LoginThrottle(settings.IpLoginThrottle, settings.Time);
        Authenticator = new BearerAuthenticator(Tokens, store);
        // ---- identity branch: resolver for handles that are not ours ----
        HandleResolver = new Identity.HandleResolver(new Identity.HandleResolverOptions
        {
            DnsServer = options.DnsResolver ?? Identity.Dns.ResolvConf.ReadFirstNameServer(),
            WellKnownOriginOverride = options.HandleWellKnownOriginOverride,
        });
    }

    /// <summary>Configuration.</summary>
    public AlteranOptions Options { get; }
    /// <summary>Resolved secrets.</summary>
    public PdsSecrets Secrets { get; }
    /// <summary>Tuning.</summary>
    public PdsRuntimeSettings Settings { get; }
    /// <summary>Public host name (may include a port, e.g. <c>localhost:2583</c>).</summary>
    public string Hostname { get; }
    /// <summary>The store.</summary>
    public AlteranStore Store { get; }
    /// <summary>Orders durable events into the in-memory ring the firehose serves from.</summary>
    public Sequencer Sequencer { get; }
    /// <summary>The <c>com.atproto.sync.subscribeRepos</c> handler.</summary>
    public FirehoseXrpc Firehose { get; }
    /// <summary>Jetstream events derived from the firehose (firehose branch).</summary>
    public JetstreamFeed JetstreamFeed { get; }
    /// <summary>The Jetstream-compatible <c>/subscribe</c> handler (firehose branch).</summary>
    public JetstreamSubscription Jetstream { get; }
    /// <summary>The repo service (shared with the repo/sync handlers).</summary>
    public RepoService Repo { get; }
    /// <summary>The repo signing key (K-256).</summary>
    public PrivateKey SigningKey { get; }
    /// <summary>The account's compact id.</summary>
    public long AccountId { get; }
    /// <summary>The account DID.</summary>
    public string Did => Secrets.Did;
    /// <summary>The current handle.</summary>
    public string Handle => _handle;
    /// <summary>This server's DID (<c>aud</c> of session tokens): did:web of the host name.</summary>
    public string ServiceDid => PdsSecrets.DidWebFor(Hostname);
    /// <summary>Public base URL: https, or http for localhost / 127.0.0.1.</summary>
    public string PublicUrl => (IsLocalHost(Hostname) ? "http://" : "https://") + Hostname;
    /// <summary>Refresh-token rows.</summary>
    public SessionStore Sessions { get; }
    /// <summary>Session tokens.</summary>
    public SessionTokens Tokens { get; }
    /// <summary>Argon2id.</summary>
    public PasswordHasher Hasher { get; }
    /// <summary>Login lockout per account (or per unknown identifier).</summary>
    public LoginThrottle Throttle { get; }
    /// <summary>Login lockout per client address (guessing across identifiers).</summary>
    public LoginThrottle IpThrottle { get; }
    /// <summary>The bearer-token authenticator handlers use.</summary>
    public IRequestAuthenticator Authenticator { get; }
    /// <summary>Clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Resolves other people's handles (DNS TXT, then HTTPS well-known; cached). Identity branch.</summary>
    public Identity.HandleResolver HandleResolver { get; }

    /// <summary>Readiness check for <c>/ready</c>: the store is open and answers a read.</summary>
    public Xrpc.IReadinessCheck ReadinessCheck => new StoreReadiness(this);

    /// <summary>
    /// Start-up. <paramref name="console"/> receives the one-time "account created" line with the generated password.
    /// </summary>
    /// <exception cref="InvalidOperationException">Production without secrets (options validation normally catches it first).</exception>
    public static async Task<PdsRuntime> OpenAsync(AlteranOptions options, PdsRuntimeSettings? settings = null, TextWriter? console = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        settings ??= new PdsRuntimeSettings();
        string hostname = options.Hostname ?? PdsSecrets.DefaultHostnameFor(options.Listen);
        string dataDirectory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(dataDirectory);

        PdsSecrets secrets;
        bool created = false;
        if (options.IsProduction)
        {
            secrets = new PdsSecrets
            {
                Did = options.Did ?? throw new InvalidOperationException("PDS_DID is required in production."),
                Handle = options.Handle ?? throw new InvalidOperationException("PDS_HANDLE is required in production."),
                Password = options.UserPassword ?? throw new InvalidOperationException("USER_PASSWORD is required in production."),
                AccessTokenSecret = options.AccessTokenSecret ?? throw new InvalidOperationException("ACCESS_TOKEN is required in production."),
                RefreshTokenSecret = options.RefreshTokenSecret ?? throw new InvalidOperationException("REFRESH_TOKEN is required in production."),
                RepoSigningKey = options.RepoSigningKey ?? throw new InvalidOperationException("REPO_SIGNING_KEY is required in production."),
            };
        }
        else
        {
            secrets = PdsSecrets.LoadOrCreate(dataDirectory, options.Did ?? PdsSecrets.DidWebFor(hostname),
                options.Handle ?? PdsSecrets.DefaultHandleFor(hostname), out created);
            if (options.Did is not null) secrets.Did = options.Did;
            if (options.UserPassword is not null) secrets.Password = options.UserPassword;
            if (options.AccessTokenSecret is not null) secrets.AccessTokenSecret = options.AccessTokenSecret;
            if (options.RefreshTokenSecret is not null) secrets.RefreshTokenSecret = options.RefreshTokenSecret;
            if (options.RepoSigningKey is not null) secrets.RepoSigningKey = options.RepoSigningKey;
        }
        if (System.Text.Encoding.UTF8.GetByteCount(secrets.AccessTokenSecret) < 16)
            throw new InvalidOperationException("ACCESS_TOKEN must be at least 16 bytes.");

        PrivateKey key = secrets.ParseSigningKey();
        AlteranStore? store = null;
        Sequencer? sequencer = null;
        try
        {
            store = AlteranStore.Open(Path.Combine(dataDirectory, "store"), settings.Store);
            // The sequencer starts after the store's last seq; every event logged from here on reaches the ring
            // (commits through the repo service's sink, account events by the sequencer's catch-up from the log).
            // firehose branch: subscriber caps from the options unless the settings give the whole policy.
            sequencer = new Sequencer(store, settings.Firehose ?? new FirehoseOptions
            {
                MaxSubscribers = options.FirehoseMaxSubscribers,
                MaxSubscribersPerIp = options.FirehoseMaxSubscribersPerIp,
            });
            var repo = new RepoService(store, new RepoServiceOptions { EventSink = sequencer });
            var hasher = new PasswordHasher(settings.PasswordHash);
            string handle;
            long accountId;
            byte[] rawKey = key.Export();
            try
            {
                if (!store.TryGetAccountIdByDid(secrets.Did, out accountId))
                {
                    handle = options.Handle ?? secrets.Handle;
                    var row = new AccountRow
                    {
                        Did = secrets.Did,
                        Handle = handle.ToLowerInvariant(),
                        CreatedAt = settings.Time.GetUtcNow().ToUnixTimeMilliseconds(),
                        PasswordHash = System.Text.Encoding.UTF8.GetBytes(await hasher.HashAsync(secrets.Password, cancellationToken).ConfigureAwait(false)),
                        SigningKey = rawKey.ToArray(),
                    };
                    // The reference sequences account creation as #identity, #account, #commit, #sync.
                    accountId = (await Published(sequencer, frame => store.CreateAccountAsync(row, AccountEventEncoder.Identity(secrets.Did, row.Handle, settings.Time), frame)).ConfigureAwait(false)).AccountId;
                    long id = accountId;
                    await Published(sequencer, frame => store.AppendEventAsync(id, AccountEventEncoder.Active(secrets.Did, settings.Time), frame)).ConfigureAwait(false);
                    handle = row.Handle;
                }
                else
                {
                    AccountRow row = store.GetAccount(accountId) ?? throw new InvalidOperationException("Account index points to a missing row.");
                    bool changed = false, handleChanged = false;
                    if (options.Handle is not null && !string.Equals(row.Handle, options.Handle, StringComparison.OrdinalIgnoreCase))
                    {
                        row.Handle = options.Handle.ToLowerInvariant();
                        changed = handleChanged = true;
                    }
                    string? stored = row.PasswordHash is null ? null : System.Text.Encoding.UTF8.GetString(row.PasswordHash);
                    if (stored is null || await hasher.VerifyAsync(secrets.Password, stored, cancellationToken).ConfigureAwait(false) == PasswordVerification.Failed)
                    {
                        row.PasswordHash = System.Text.Encoding.UTF8.GetBytes(await hasher.HashAsync(secrets.Password, cancellationToken).ConfigureAwait(false));
                        changed = true;
                    }
                    if (row.SigningKey is null || !CryptographicOperations.FixedTimeEquals(row.SigningKey, rawKey))
                    {
                        row.SigningKey = rawKey.ToArray();
                        changed = true;
                    }
                    if (changed)
                    {
                        if (handleChanged)
                            await Published(sequencer, frame => store.UpdateAccountAsync(row, AccountEventEncoder.Identity(secrets.Did, row.Handle, settings.Time), frame)).ConfigureAwait(false);
                        else
                            await store.UpdateAccountAsync(row).ConfigureAwait(false);
                    }
                    handle = row.Handle ?? secrets.Handle;
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(rawKey);
                hasher.Dispose();
            }

            if (repo.GetLatestCommit(accountId) is null)
                await repo.CreateRepoAsync(accountId, secrets.Did, key, announce: true, cancellationToken).ConfigureAwait(false);

            if (created && console is not null)
            {
                await console.WriteLineAsync(
                    $"alteran: created account {handle} ({secrets.Did}); password: {secrets.Password}  " +
                    $"(shown once; kept in {Path.Combine(dataDirectory, PdsSecrets.FileName)}, mode 0600)").ConfigureAwait(false);
            }
            var runtime = new PdsRuntime(options, secrets, hostname, store, sequencer, repo, key, accountId, handle, settings);
            runtime.Sessions.PruneExpired(secrets.Did, settings.Time.GetUtcNow().ToUnixTimeSeconds()); // bounded by the chain list
            return runtime;
        }
        catch
        {
            sequencer?.Dispose();
            store?.Dispose();
            key.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs a store write that logs an event and hands its frame to the sequencer at once: otherwise an event logged
    /// outside the repo service reaches live subscribers only at the sequencer's next gap check (and holds back every
    /// later commit until then).
    /// </summary>
    private static async Task<WriteResult> Published(Sequencer sequencer, Func<Alteran.Storage.Log.EventBuffer, Task<WriteResult>> write)
    {
        using var frame = new Alteran.Storage.Log.EventBuffer(1024);
        WriteResult written = await write(frame).ConfigureAwait(false);
        sequencer.Publish(written.Seq, frame.Frame.Span);
        return written;
    }

    /// <summary>Reads the account row.</summary>
    public AccountRow GetAccount() => Store.GetAccount(AccountId) ?? throw new InvalidOperationException("The account row is missing.");

    /// <summary>Changes the handle (validated by the caller), durably, logging an <c>#identity</c> event in the same batch.</summary>
    public async Task SetHandleAsync(string handle)
    {
        AccountRow row = GetAccount();
        row.Handle = handle;
        await Published(Sequencer, frame => Store.UpdateAccountAsync(row, AccountEventEncoder.Identity(Did, handle, Time), frame)).ConfigureAwait(false);
        _handle = handle;
    }

    /// <summary>The did:web document of the account.</summary>
    public DidDocument BuildDidDocument() => new()
    {
        Context = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1", "https://w3id.org/security/suites/secp256k1-2019/v1"],
        Id = Did,
        AlsoKnownAs = ["at://" + Handle],
        VerificationMethod = [new DidVerificationMethod(Did + "#atproto", "Multikey", Did, SigningKey.PublicKey.ToMultibase())],
        Service = [new DidService("#atproto_pds", "AtprotoPersonalDataServer", PublicUrl)],
    };

    private static bool IsLocalHost(string host) =>
        host.StartsWith("localhost", StringComparison.OrdinalIgnoreCase) || host.StartsWith("127.0.0.1", StringComparison.Ordinal)
        || host.StartsWith("[::1]", StringComparison.Ordinal);

    /// <summary>Disposes the firehose, the sequencer, the store (call after the server has drained) and the key.</summary>
    public void Dispose()
    {
        HandleResolver.Dispose(); // identity branch
        Hasher.Dispose();
        Firehose.Dispose();
        JetstreamFeed.Dispose();
        Sequencer.Dispose();
        Store.Dispose();
        SigningKey.Dispose();
    }

    private sealed class StoreReadiness(PdsRuntime pds) : Xrpc.IReadinessCheck
    {
        public string Name => "storage";

        public bool IsReady()
        {
            try
            {
                return pds.Store.GetAccount(pds.AccountId) is not null;
            }
            catch (Exception)
            {
                return false;
            }
        }
    }
}
