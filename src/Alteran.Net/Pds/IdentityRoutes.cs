using Alteran.Net.Auth;
using Alteran.Net.Http;
using Alteran.Net.Xrpc;
using Alteran.Protocol.Syntax;
using Alteran.Storage;

namespace Alteran.Net.Pds;

/// <summary>
/// Identity: the did:web document (<c>/.well-known/did.json</c>), handle verification
/// (<c>/.well-known/atproto-did</c>), <c>com.atproto.identity.resolveHandle</c> (own handle from the row, other
/// handles by DNS TXT / HTTPS well-known through <see cref="Identity.HandleResolver"/>) and <c>updateHandle</c>
/// (logs <c>#identity</c> with the row change).
/// </summary>
public sealed class IdentityRoutes(PdsRuntime pds)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Registers the routes.</summary>
    public void Register(XrpcRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);
        router.MapPath("/.well-known/did.json", XrpcMethodKind.Query, DidJson);
        router.MapPath("/.well-known/atproto-did", XrpcMethodKind.Query, AtprotoDid);
        router.MapQuery("com.atproto.identity.resolveHandle", ResolveHandleAsync);
        router.MapProcedure("com.atproto.identity.updateHandle", UpdateHandleAsync);
    }

    private ValueTask DidJson(HttpContext ctx)
    {
        // Only a did:web of this host is served here; a did:plc account's document lives in the PLC directory.
        if (pds.Did != PdsSecrets.DidWebFor(pds.Hostname))
            throw XrpcException.NotFound("NotFound", "No did:web document on this host");
        ctx.Response.WriteJson(pds.BuildDidDocument(), PdsJsonContext.Default.DidDocument);
        return ValueTask.CompletedTask;
    }

    private ValueTask AtprotoDid(HttpContext ctx)
    {
        ctx.Response.WriteBody(System.Text.Encoding.UTF8.GetBytes(pds.Did), "text/plain; charset=utf-8"u8);
        return ValueTask.CompletedTask;
    }

    private async ValueTask ResolveHandleAsync(HttpContext ctx)
    {
        string handle = ctx.Request.Query.GetString("handle"u8) ?? throw XrpcException.InvalidRequest("handle is required");
        if (!Handle.IsValid(handle.AsSpan()))
            throw XrpcException.InvalidRequest("Invalid handle");
        string did;
        if (string.Equals(handle, pds.Handle, StringComparison.OrdinalIgnoreCase))
        {
            did = pds.Did;
        }
        else
        {
            // Not ours: DNS TXT then HTTPS well-known (bounded time, cached); any failure is "not found", never a 500.
            did = await pds.HandleResolver.ResolveAsync(handle, ctx.ConnectionAborted).ConfigureAwait(false)
                ?? throw new XrpcException(400, "HandleNotFound", "Unable to resolve handle");
        }
        ctx.Response.WriteJson(new DidOutput(did), PdsJsonContext.Default.DidOutput);
    }

    /// <summary>
    /// A new handle must point back at this account, as the reference PDS requires: the host name of this PDS and its
    /// subdomains are ours (our <c>/.well-known/atproto-did</c> answers them), any other handle must resolve (DNS TXT or
    /// HTTPS well-known, skipping the cache) to the account's DID. <c>.test</c> handles can never resolve; they are
    /// accepted unverified in development only, so local set-ups and tests keep working.
    /// </summary>
    private async ValueTask VerifyHandleAsync(string handle, CancellationToken cancellationToken)
    {
        string host = pds.Hostname; // a DNS name with an optional :port (checked at start-up)
        int colon = host.LastIndexOf(':');
        if (colon > 0)
            host = host[..colon];
        if (handle == host || handle.EndsWith("." + host, StringComparison.Ordinal))
            return;
        if (Handle.IsTestTld(handle.AsSpan()))
        {
            if (pds.Options.IsProduction)
                throw new XrpcException(400, "InvalidHandle", "A .test handle cannot be verified");
            return;
        }
        string? did = await pds.HandleResolver.ResolveAsync(handle, cancellationToken, fresh: true).ConfigureAwait(false);
        if (did != pds.Did)
            throw XrpcException.InvalidRequest("External handle did not resolve to this account's DID (DNS TXT _atproto or https://<handle>/.well-known/atproto-did)");
    }

    private async ValueTask UpdateHandleAsync(HttpContext ctx)
    {
        AuthenticatedAccount account = pds.Authenticator.RequireAccess(ctx);
        if (account.Scope != AuthScope.Access)
            throw new XrpcException(400, "InvalidToken", "Bad token scope");
        UpdateHandleInput input = await ctx.ReadJsonAsync(PdsJsonContext.Default.UpdateHandleInput).ConfigureAwait(false)
            ?? throw XrpcException.InvalidRequest("Input body is required");
        string handle = input.Handle?.Trim().ToLowerInvariant() ?? throw XrpcException.InvalidRequest("handle is required");
        if (!Handle.IsValid(handle.AsSpan()))
            throw new XrpcException(400, "InvalidHandle", "Invalid handle");
        if (Handle.IsDisallowedTld(handle.AsSpan()))
            throw new XrpcException(400, "InvalidHandle", "Handle TLD is not allowed");
        if (handle != pds.Handle)
            await VerifyHandleAsync(handle, ctx.ConnectionAborted).ConfigureAwait(false);
        await _gate.WaitAsync(ctx.ConnectionAborted).ConfigureAwait(false);
        try
        {
            if (handle != pds.Handle)
                await pds.SetHandleAsync(handle).ConfigureAwait(false);
        }
        catch (StorageException ex) when (ex.Error == StorageError.Conflict)
        {
            throw XrpcException.InvalidRequest("Handle already taken");
        }
        finally
        {
            _gate.Release();
        }
        ctx.Response.WriteEmpty();
    }
}
