using System.Globalization;
using Alteran.Net.Auth;
using Alteran.Net.Http;
using Alteran.Net.Xrpc;
using Alteran.Storage.Accounts;

namespace Alteran.Net.Pds;

/// <summary>
/// <c>com.atproto.server.*</c> for the single hosted account: describeServer, sessions (create / get / refresh /
/// delete), app passwords, checkAccountStatus and getServiceAuth. Error names and statuses follow the reference PDS.
/// </summary>
public sealed class ServerRoutes(PdsRuntime pds)
{
    private readonly AppPasswordStore _appPasswords = new(pds);

    /// <summary>Registers the routes.</summary>
    public void Register(XrpcRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);
        router.MapQuery("com.atproto.server.describeServer", DescribeServer);
        router.MapProcedure("com.atproto.server.createSession", CreateSessionAsync);
        router.MapQuery("com.atproto.server.getSession", GetSession);
        router.MapProcedure("com.atproto.server.refreshSession", RefreshSession);
        router.MapProcedure("com.atproto.server.deleteSession", DeleteSession);
        router.MapProcedure("com.atproto.server.createAppPassword", CreateAppPasswordAsync);
        router.MapQuery("com.atproto.server.listAppPasswords", ListAppPasswords);
        router.MapProcedure("com.atproto.server.revokeAppPassword", RevokeAppPasswordAsync);
        router.MapQuery("com.atproto.server.checkAccountStatus", CheckAccountStatus);
        router.MapQuery("com.atproto.server.getServiceAuth", GetServiceAuth);
    }

    private ValueTask DescribeServer(HttpContext ctx)
    {
        ctx.Response.WriteJson(new DescribeServerOutput
        {
            InviteCodeRequired = true, // single-account server: no sign-ups
            PhoneVerificationRequired = false,
            AvailableUserDomains = [],
            Did = pds.ServiceDid,
        }, PdsJsonContext.Default.DescribeServerOutput);
        return ValueTask.CompletedTask;
    }

    private async ValueTask CreateSessionAsync(HttpContext ctx)
    {
        CreateSessionInput input = await ctx.ReadJsonAsync(PdsJsonContext.Default.CreateSessionInput).ConfigureAwait(false)
            ?? throw XrpcException.InvalidRequest("Input body is required");
        if (string.IsNullOrEmpty(input.Identifier) || input.Password is null)
            throw XrpcException.InvalidRequest("identifier and password are required");
        if (input.Password.Length > PasswordHasher.MaxPasswordBytes || input.Identifier.Length > 512)
            throw new XrpcException(401, "AuthenticationRequired", "Invalid identifier or password");

        string identifier = input.Identifier.Trim().ToLowerInvariant();
        AccountRow row = pds.GetAccount();
        bool matches = identifier == pds.Did.ToLowerInvariant() || identifier == pds.Handle
            || (row.Email is not null && identifier == row.Email.ToLowerInvariant());
        // One lockout key per account (all identifiers of the account share it); unknown identifiers get their own.
        string throttleKey = matches ? pds.Did : "id:" + identifier;
        string ipKey = ctx.Request.RemoteAddress.ToString();
        if (pds.Throttle.IsLocked(throttleKey, out TimeSpan retryAfter) || pds.IpThrottle.IsLocked(ipKey, out retryAfter))
        {
            ctx.Response.AddHeader("Retry-After", Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture));
            throw XrpcException.RateLimitExceeded("Too many failed logins; try again later");
        }

        string scope = AuthScope.Access;
        string? appPasswordName = null;
        bool ok = false;
        if (!matches || row.PasswordHash is null)
        {
            // Same Argon2id cost as a real check, so timing does not tell which identifiers exist.
            await pds.Hasher.VerifyUnknownAccountAsync(input.Password, ctx.ConnectionAborted).ConfigureAwait(false);
        }
        else
        {
            string hash = System.Text.Encoding.UTF8.GetString(row.PasswordHash);
            PasswordVerification verified = await pds.Hasher.VerifyAsync(input.Password, hash, ctx.ConnectionAborted).ConfigureAwait(false);
            ok = verified != PasswordVerification.Failed;
            if (verified == PasswordVerification.SuccessRehashNeeded)
            {
                row.PasswordHash = System.Text.Encoding.UTF8.GetBytes(await pds.Hasher.HashAsync(input.Password, ctx.ConnectionAborted).ConfigureAwait(false));
                await pds.Store.UpdateAccountAsync(row).ConfigureAwait(false);
            }
            if (!ok && AppPassword.IsWellFormed(input.Password))
            {
                AppPasswordEntry? app = await AppPassword.FindMatchAsync(pds.Hasher, input.Password,
                    AppPasswordStore.ToEntries(_appPasswords.List()), ctx.ConnectionAborted).ConfigureAwait(false);
                if (app is not null)
                {
                    ok = true;
                    scope = AppPassword.ScopeFor(app.Privileged);
                    appPasswordName = app.Name;
                }
            }
        }
        if (!ok)
        {
            pds.Throttle.RecordFailure(throttleKey);
            pds.IpThrottle.RecordFailure(ipKey);
            throw new XrpcException(401, "AuthenticationRequired", "Invalid identifier or password");
        }
        pds.Throttle.RecordSuccess(throttleKey);
        if (row.Status == AccountStatus.Takendown && input.AllowTakendown != true)
            throw new XrpcException(401, "AccountTakedown", "Account has been taken down");

        SessionTokenPair pair = pds.Tokens.CreateSession(pds.Did, scope, appPasswordName);
        ctx.Response.WriteJson(SessionOf(row, pair), PdsJsonContext.Default.SessionOutput);
    }

    private ValueTask GetSession(HttpContext ctx)
    {
        pds.Authenticator.RequireAccess(ctx);
        ctx.Response.WriteJson(SessionOf(pds.GetAccount(), null), PdsJsonContext.Default.SessionOutput);
        return ValueTask.CompletedTask;
    }

    private ValueTask RefreshSession(HttpContext ctx)
    {
        string token = BearerToken(ctx);
        RefreshResult result = pds.Tokens.Refresh(token);
        switch (result.Error)
        {
            case JwtError.None:
                break;
            case JwtError.Expired:
                throw new XrpcException(400, "ExpiredToken", "Token has expired");
            case JwtError.Revoked:
            case JwtError.ReuseDetected:
                throw new XrpcException(400, "ExpiredToken", "Token has been revoked");
            default:
                throw new XrpcException(400, "InvalidToken", "Token could not be verified");
        }
        ctx.Response.WriteJson(SessionOf(pds.GetAccount(), result.Tokens), PdsJsonContext.Default.SessionOutput);
        return ValueTask.CompletedTask;
    }

    private ValueTask DeleteSession(HttpContext ctx)
    {
        string token = BearerToken(ctx);
        JwtError error = pds.Tokens.RevokeSession(token);
        // An already revoked chain is fine (idempotent logout); a token we did not sign is not.
        if (error is not (JwtError.None or JwtError.Revoked))
            throw new XrpcException(400, "InvalidToken", "Token could not be verified");
        ctx.Response.WriteEmpty();
        return ValueTask.CompletedTask;
    }

    private async ValueTask CreateAppPasswordAsync(HttpContext ctx)
    {
        RequireFullAccess(ctx);
        CreateAppPasswordInput input = await ctx.ReadJsonAsync(PdsJsonContext.Default.CreateAppPasswordInput).ConfigureAwait(false)
            ?? throw XrpcException.InvalidRequest("Input body is required");
        string name = input.Name?.Trim() ?? "";
        if (!AppPassword.IsValidName(name))
            throw XrpcException.InvalidRequest("Invalid app password name");
        bool privileged = input.Privileged == true;
        (string password, AppPasswordEntry entry) = await AppPassword.CreateAsync(pds.Hasher, name, privileged, pds.Time, ctx.ConnectionAborted).ConfigureAwait(false);
        await _appPasswords.Gate.WaitAsync(ctx.ConnectionAborted).ConfigureAwait(false);
        try
        {
            List<StoredAppPassword> list = _appPasswords.List();
            foreach (StoredAppPassword existing in list)
                if (existing.Name == name)
                    throw XrpcException.InvalidRequest("An app password with this name already exists");
            if (list.Count >= AppPasswordStore.MaxEntries)
                throw XrpcException.InvalidRequest($"At most {AppPasswordStore.MaxEntries} app passwords");
            list.Add(new StoredAppPassword(entry.Name, entry.PasswordHash, entry.Privileged, entry.CreatedAt));
            _appPasswords.Save(list);
        }
        finally
        {
            _appPasswords.Gate.Release();
        }
        ctx.Response.WriteJson(new AppPasswordCreated
        {
            Name = name,
            Password = password,
            CreatedAt = FormatTime(entry.CreatedAt),
            Privileged = privileged,
        }, PdsJsonContext.Default.AppPasswordCreated);
    }

    private ValueTask ListAppPasswords(HttpContext ctx)
    {
        RequireFullAccess(ctx);
        var output = new ListAppPasswordsOutput { Passwords = [] };
        foreach (StoredAppPassword s in _appPasswords.List())
            output.Passwords.Add(new AppPasswordCreated { Name = s.Name, CreatedAt = FormatTime(s.CreatedAt), Privileged = s.Privileged });
        ctx.Response.WriteJson(output, PdsJsonContext.Default.ListAppPasswordsOutput);
        return ValueTask.CompletedTask;
    }

    private async ValueTask RevokeAppPasswordAsync(HttpContext ctx)
    {
        RequireFullAccess(ctx);
        RevokeAppPasswordInput input = await ctx.ReadJsonAsync(PdsJsonContext.Default.RevokeAppPasswordInput).ConfigureAwait(false)
            ?? throw XrpcException.InvalidRequest("Input body is required");
        if (string.IsNullOrEmpty(input.Name))
            throw XrpcException.InvalidRequest("name is required");
        await _appPasswords.Gate.WaitAsync(ctx.ConnectionAborted).ConfigureAwait(false);
        try
        {
            List<StoredAppPassword> list = _appPasswords.List();
            if (list.RemoveAll(p => p.Name == input.Name) > 0)
                _appPasswords.Save(list);
        }
        finally
        {
            _appPasswords.Gate.Release();
        }
        pds.Sessions.RevokeForAppPassword(pds.Did, input.Name);
        ctx.Response.WriteEmpty();
    }

    private ValueTask CheckAccountStatus(HttpContext ctx)
    {
        pds.Authenticator.RequireAccess(ctx);
        var head = pds.Repo.GetLatestCommit(pds.AccountId) ?? throw new XrpcException(400, "RepoNotFound", "Repo not found");
        // Counted by key-only range scans in the store (no block or record value is read), as the reference counts
        // rows; cheap enough for a migration-time call (measured in ReadBenchmarks.CountRepoBlocks).
        long blocks = pds.Store.CountRepoBlocks(pds.AccountId);
        long records = pds.Store.CountRecords(pds.AccountId);
        long expectedBlobs = pds.Store.CountReferencedBlobs(pds.AccountId);
        long importedBlobs = pds.Store.CountBlobs(pds.AccountId);
        AccountRow row = pds.GetAccount();
        ctx.Response.WriteJson(new CheckAccountStatusOutput
        {
            Activated = row.Status == AccountStatus.Active,
            ValidDid = true, // our own did:web document names this server (PDS_DID did:plc: not checked, see README)
            RepoCommit = head.Commit.ToString(),
            RepoRev = head.Rev,
            RepoBlocks = blocks,
            IndexedRecords = records,
            // The reference reports 0 (preferences are not counted), and migration tools compare this value
            // between the old and the new PDS for equality: any other number would stall their migrations.
            PrivateStateValues = 0,
            ExpectedBlobs = expectedBlobs, // distinct blobs the records reference (reference: recordBlobCount)
            ImportedBlobs = importedBlobs, // blobs stored for the account (reference: blobCount)
        }, PdsJsonContext.Default.CheckAccountStatusOutput);
        return ValueTask.CompletedTask;
    }

    private ValueTask GetServiceAuth(HttpContext ctx)
    {
        AuthenticatedAccount account = pds.Authenticator.RequireAccess(ctx);
        QueryString q = ctx.Request.Query;
        string aud = q.GetString("aud"u8) ?? throw XrpcException.InvalidRequest("aud is required");
        if (!Protocol.Syntax.Did.IsValid(aud.AsSpan(0, aud.IndexOf('#') is int hash and >= 0 ? hash : aud.Length)))
            throw XrpcException.InvalidRequest("aud must be a DID");
        string? lxm = q.GetString("lxm"u8);
        if (lxm is not null && !Protocol.Syntax.Nsid.IsValid(lxm.AsSpan()))
            throw XrpcException.InvalidRequest("lxm must be an NSID");
        long? exp = null;
        if (q.TryGetRaw("exp"u8, out _))
        {
            if (!q.TryGetInt64("exp"u8, out long e))
                throw XrpcException.InvalidRequest("exp must be an integer");
            exp = e;
        }
        if (account.IsAppPassword && lxm is not null && lxm.StartsWith("chat.bsky.", StringComparison.Ordinal)
            && account.Scope != AuthScope.AppPassPrivileged)
            throw new XrpcException(400, "InvalidToken", "Bad token method");
        string token;
        try
        {
            token = ServiceAuth.Create(pds.SigningKey, pds.Did, aud, lxm, exp, pds.Time);
        }
        catch (JwtException ex) when (ex.Error is JwtError.Expired or JwtError.LifetimeTooLong)
        {
            throw new XrpcException(400, "BadExpiration", ex.Message);
        }
        catch (JwtException ex)
        {
            throw XrpcException.InvalidRequest(ex.Message);
        }
        ctx.Response.WriteJson(new TokenOutput(token), PdsJsonContext.Default.TokenOutput);
        return ValueTask.CompletedTask;
    }

    private AuthenticatedAccount RequireFullAccess(HttpContext ctx)
    {
        AuthenticatedAccount account = pds.Authenticator.RequireAccess(ctx);
        if (account.Scope != AuthScope.Access)
            throw new XrpcException(400, "InvalidToken", "Bad token scope");
        return account;
    }

    private SessionOutput SessionOf(AccountRow row, SessionTokenPair? pair) => new()
    {
        AccessJwt = pair?.AccessJwt,
        RefreshJwt = pair?.RefreshJwt,
        Handle = row.Handle ?? pds.Handle,
        Did = row.Did,
        DidDoc = pds.Did.StartsWith("did:web:", StringComparison.Ordinal) ? pds.BuildDidDocument() : null,
        Email = row.Email,
        EmailConfirmed = row.Email is null ? null : false,
        Active = row.Status == AccountStatus.Active,
        Status = row.Status switch
        {
            AccountStatus.Active => null,
            AccountStatus.Takendown => "takendown",
            AccountStatus.Suspended => "suspended",
            AccountStatus.Deleted => "deleted",
            _ => "deactivated",
        },
    };

    /// <summary>The raw token of an <c>Authorization: Bearer</c> header (refresh routes), or 401.</summary>
    internal static string BearerToken(HttpContext ctx)
    {
        string? header = ctx.Request.GetHeader("authorization"u8);
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            throw XrpcException.AuthenticationRequired();
        string token = header[7..].Trim();
        if (token.Length == 0 || token.Length > Jwt.MaxTokenLength)
            throw new XrpcException(400, "InvalidToken", "Token could not be verified");
        return token;
    }

    private static string FormatTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
