using System.Text.Json;
using Alteran.Net.Http;
using Alteran.Net.Xrpc;

namespace Alteran.Net.Pds;

/// <summary>
/// <c>app.bsky.actor.getPreferences</c> / <c>putPreferences</c>, stored on the PDS as the raw JSON array
/// (<see cref="AccountMetaRows.Preferences"/>). Like the reference PDS, every item must be an object whose
/// <c>$type</c> is an <c>app.bsky.*</c> preference; app-password sessions may not write
/// <c>#personalDetailsPref</c>.
/// </summary>
public sealed class PreferencesRoutes(PdsRuntime pds)
{
    private const string PersonalDetails = "app.bsky.actor.defs#personalDetailsPref";
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Registers the routes.</summary>
    public void Register(XrpcRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);
        router.MapQuery("app.bsky.actor.getPreferences", GetPreferences);
        router.MapProcedure("app.bsky.actor.putPreferences", PutPreferencesAsync);
    }

    private ValueTask GetPreferences(HttpContext ctx)
    {
        pds.Authenticator.RequireAccess(ctx);
        byte[] stored = AccountMetaRows.Read(pds.Store, AccountMetaRows.Preferences, pds.AccountId) ?? "[]"u8.ToArray();
        ctx.Response.WriteJson(stored, static (writer, array) =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName("preferences"u8);
            writer.WriteRawValue(array, skipInputValidation: true); // validated when stored
            writer.WriteEndObject();
        });
        return ValueTask.CompletedTask;
    }

    private async ValueTask PutPreferencesAsync(HttpContext ctx)
    {
        var account = pds.Authenticator.RequireAccess(ctx);
        ReadOnlyMemory<byte> body = await ctx.ReadBodyAsync(ctx.ConnectionAborted).ConfigureAwait(false);
        byte[] array;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("preferences"u8, out JsonElement prefs)
                || prefs.ValueKind != JsonValueKind.Array)
                throw XrpcException.InvalidRequest("preferences must be an array");
            foreach (JsonElement pref in prefs.EnumerateArray())
            {
                if (pref.ValueKind != JsonValueKind.Object || !pref.TryGetProperty("$type"u8, out JsonElement type)
                    || type.ValueKind != JsonValueKind.String)
                    throw XrpcException.InvalidRequest("Preference is missing a $type");
                string t = type.GetString()!;
                if (!t.StartsWith("app.bsky.", StringComparison.Ordinal))
                    throw XrpcException.InvalidRequest($"Some preferences are not in the app.bsky namespace");
                if (t == PersonalDetails && account.IsAppPassword)
                    throw XrpcException.InvalidRequest("Do not have authorization to set preferences.");
            }
            array = System.Text.Encoding.UTF8.GetBytes(prefs.GetRawText());
        }
        catch (JsonException)
        {
            throw XrpcException.InvalidRequest("Invalid JSON");
        }
        await _gate.WaitAsync(ctx.ConnectionAborted).ConfigureAwait(false);
        try
        {
            AccountMetaRows.Write(pds.Store, AccountMetaRows.Preferences, pds.AccountId, array);
        }
        finally
        {
            _gate.Release();
        }
        ctx.Response.WriteEmpty();
    }
}
