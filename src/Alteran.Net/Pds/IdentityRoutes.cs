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
