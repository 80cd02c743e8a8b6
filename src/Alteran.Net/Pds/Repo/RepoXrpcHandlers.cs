using System.Text.Json;
using Alteran.Net.Http;
using Alteran.Net.Repo;
using Alteran.Net.Xrpc;
using Alteran.Protocol;
using Alteran.Protocol.Crypto;
using Alteran.Protocol.Lexicon;
using Alteran.Protocol.Syntax;
using Alteran.Storage;
using Alteran.Storage.Accounts;

namespace Alteran.Net.Pds.Repo;

/// <summary>
/// XRPC handlers of <c>com.atproto.repo.*</c> and <c>com.atproto.sync.*</c> (except <c>subscribeRepos</c>): they
/// parse and check requests against the lexicons, authenticate writes through <see cref="IRequestAuthenticator"/>
/// and delegate to <see cref="RepoService"/> and the store's blob API. Every refusal is an <see cref="XrpcException"/>.
/// </summary>
public sealed partial class RepoXrpcHandlers
{
    private readonly RepoService _repo;
    private readonly AlteranStore _store;
    private readonly IRequestAuthenticator _auth;
    private readonly Func<long, PrivateKey> _signingKey;
    private readonly RepoXrpcOptions _options;
    private readonly LexiconCatalog _lexicons;
    private readonly TidClock _rkeyClock = new();

    /// <summary>Creates the handlers.</summary>
    /// <param name="repo">The repo pipeline (the only writer of repos).</param>
    /// <param name="store">The store (accounts, blobs).</param>
    /// <param name="auth">Verifies the caller of write routes.</param>
    /// <param name="signingKey">The repo signing key of an account id (kept and disposed by the provider).</param>
    /// <param name="options">Limits; defaults when null.</param>
    /// <param name="lexicons">Record schemas; <see cref="LexiconCatalog.Default"/> when null.</param>
    public RepoXrpcHandlers(RepoService repo, AlteranStore store, IRequestAuthenticator auth, Func<long, PrivateKey> signingKey,
        RepoXrpcOptions? options = null, LexiconCatalog? lexicons = null)
    {
        ArgumentNullException.ThrowIfNull(repo);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(auth);
        ArgumentNullException.ThrowIfNull(signingKey);
        _repo = repo;
        _store = store;
        _auth = auth;
        _signingKey = signingKey;
        _options = options ?? new RepoXrpcOptions();
        _lexicons = lexicons ?? LexiconCatalog.Default;
    }

    /// <summary>Maps every route of this class on <paramref name="router"/>.</summary>
    public void Register(XrpcRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);
        long writeLimit = _options.MaxWriteBodyBytes;
        router.MapProcedure("com.atproto.repo.createRecord", CreateRecordAsync, writeLimit);
        router.MapProcedure("com.atproto.repo.putRecord", PutRecordAsync, writeLimit);
        router.MapProcedure("com.atproto.repo.deleteRecord", DeleteRecordAsync, writeLimit);
        router.MapProcedure("com.atproto.repo.applyWrites", ApplyWritesAsync, writeLimit);
        router.MapQuery("com.atproto.repo.getRecord", GetRecord);
        router.MapQuery("com.atproto.repo.listRecords", ListRecords);
        router.MapQuery("com.atproto.repo.describeRepo", DescribeRepo);
        router.MapProcedure("com.atproto.repo.uploadBlob", UploadBlobAsync, _options.MaxBlobBytes);
        router.MapQuery("com.atproto.repo.listMissingBlobs", ListMissingBlobs);

        router.MapQuery("com.atproto.sync.getRepo", GetRepoAsync);
        router.MapQuery("com.atproto.sync.getRecord", SyncGetRecordAsync);
        router.MapQuery("com.atproto.sync.getBlocks", GetBlocksAsync);
        router.MapQuery("com.atproto.sync.getLatestCommit", GetLatestCommit);
        router.MapQuery("com.atproto.sync.getRepoStatus", GetRepoStatus);
        router.MapQuery("com.atproto.sync.getBlob", GetBlobAsync);
        router.MapQuery("com.atproto.sync.listRepos", ListRepos);
        router.MapQuery("com.atproto.sync.listBlobs", ListBlobs);
        router.MapQuery("com.atproto.sync.getRepo.json", GetRepoJsonAsync); // Alteran debugging variants
        router.MapQuery("com.atproto.sync.getCheckout.json", GetRepoJsonAsync); // Alteran's name for the same view
        router.MapQuery("com.atproto.sync.getBlocks.json", GetBlocksJsonAsync);
    }

    // ------------------------------------------------------------------------------------------------ accounts

    /// <summary>Resolves a <c>repo</c> (DID or handle) to its account row, or null.</summary>
    private AccountRow? FindAccount(string repo)
    {
        long id;
        if (repo.StartsWith("did:", StringComparison.Ordinal))
        {
            if (!Did.IsValid(repo) || !_store.TryGetAccountIdByDid(repo, out id))
                return null;
        }
        else if (!Handle.IsValid(repo) || !_store.TryGetAccountIdByHandle(repo.ToLowerInvariant(), out id))
        {
            return null;
        }
        AccountRow? row = _store.GetAccount(id);
        return row is null || row.Status == AccountStatus.Deleted ? null : row;
    }

    /// <summary>Authenticates the caller and checks that <paramref name="repo"/> is the caller's own repo.</summary>
    private AccountRow RequireOwnRepo(HttpContext context, string repo)
    {
        AuthenticatedAccount caller = _auth.RequireAccess(context);
        AccountRow account = FindAccount(repo) ?? throw XrpcException.InvalidRequest($"Could not find repo: {repo}");
        if (account.AccountId != caller.AccountId)
            throw new XrpcException(401, "AuthenticationRequired", "The repo is not the authenticated account's");
        if (account.Status != AccountStatus.Active)
            throw XrpcException.InvalidRequest("Account is not active");
        return account;
    }

    /// <summary>The account of a sync route's <c>did</c>; refuses repos that are not served (taken down etc.).</summary>
    private AccountRow RequireServedRepo(string? did, bool allowInactive = false)
    {
        if (did is null)
            throw XrpcException.InvalidRequest("Parameter 'did' is required");
        if (!Did.IsValid(did))
            throw XrpcException.InvalidRequest("Parameter 'did' is not a valid DID");
        AccountRow account = FindAccount(did) ?? throw new XrpcException(400, "RepoNotFound", $"Could not find repo for DID: {did}");
        if (!allowInactive)
        {
            switch (account.Status)
            {
                case AccountStatus.Takendown: throw new XrpcException(400, "RepoTakendown", $"Repo has been takendown: {did}");
                case AccountStatus.Suspended: throw new XrpcException(400, "RepoSuspended", $"Repo has been suspended: {did}");
                case AccountStatus.Deactivated: throw new XrpcException(400, "RepoDeactivated", $"Repo has been deactivated: {did}");
            }
        }
        return account;
    }

    // ------------------------------------------------------------------------------------------------ parameters

    private static string RequiredParam(HttpContext context, ReadOnlySpan<byte> name) =>
        context.Request.Query.GetString(name) ?? throw XrpcException.InvalidRequest($"Parameter '{System.Text.Encoding.ASCII.GetString(name)}' is required");

    private static string CheckCollection(string collection)
    {
        if (!Nsid.IsValid(collection))
            throw XrpcException.InvalidRequest($"Invalid collection NSID: {collection}");
        return collection;
    }

    private static string CheckRkey(string rkey)
    {
        if (!RecordKey.IsValid(rkey))
            throw XrpcException.InvalidRequest($"Invalid record key: {rkey}");
        return rkey;
    }

    private static Cid ParseCid(string text, string name) =>
        Cid.TryParse(text, out Cid cid) ? cid : throw XrpcException.InvalidRequest($"'{name}' is not a valid CID");

    private static int LimitParam(HttpContext context, int min, int max, int fallback)
    {
        if (!context.Request.Query.TryGetRaw("limit"u8, out _))
            return fallback;
        if (!context.Request.Query.TryGetInt64("limit"u8, out long limit) || limit < min || limit > max)
            throw XrpcException.InvalidRequest($"Parameter 'limit' must be an integer in {min}..{max}");
        return (int)limit;
    }

    private static bool BoolParam(HttpContext context, ReadOnlySpan<byte> name)
    {
        if (!context.Request.Query.TryGetRaw(name, out _))
            return false;
        if (!context.Request.Query.TryGetBoolean(name, out bool value))
            throw XrpcException.InvalidRequest($"Parameter '{System.Text.Encoding.ASCII.GetString(name)}' must be true or false");
        return value;
    }

    // ------------------------------------------------------------------------------------------------ JSON input

    private static string? OptionalString(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            return null;
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw XrpcException.InvalidRequest($"Input/{name} must be a string");
    }

    private static Cid? OptionalCid(JsonElement body, string name) =>
        OptionalString(body, name) is { } text ? ParseCid(text, name) : null;

    private static string RequiredString(JsonElement body, string name) =>
        OptionalString(body, name) ?? throw XrpcException.InvalidRequest($"Input must have the property \"{name}\"");

    private static bool? OptionalBool(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw XrpcException.InvalidRequest($"Input/{name} must be a boolean"),
        };
    }

    private static async ValueTask<JsonDocument> ReadBodyJsonAsync(HttpContext context)
    {
        ReadOnlyMemory<byte> body = await context.ReadBodyAsync(context.ConnectionAborted).ConfigureAwait(false);
        if (body.IsEmpty)
            throw XrpcException.InvalidRequest("Request body is required");
        JsonDocument doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 128 });
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            doc.Dispose();
            throw XrpcException.InvalidRequest("Input must be an object");
        }
        return doc;
    }

    private static XrpcException Map(RepoWriteException ex) => ex.Error switch
    {
        RepoWriteError.InvalidSwap => new XrpcException(400, "InvalidSwap", ex.Message),
        RepoWriteError.RepoNotFound => new XrpcException(400, "RepoNotFound", ex.Message),
        RepoWriteError.BlobNotFound => XrpcException.InvalidRequest("Could not find blob: " + ex.Message),
        RepoWriteError.Conflict => new XrpcException(409, "InvalidSwap", "Concurrent write; retry"),
        _ => XrpcException.InvalidRequest(ex.Message),
    };
}
