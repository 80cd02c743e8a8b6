using Alteran.Storage;

namespace Alteran.Net.Pds;

/// <summary>
/// Small per-account PDS state (session chain list, app passwords, preferences), one row per kind in the store's
/// account metadata rows (<see cref="AlteranStore.GetAccountMeta"/>; the <c>account_meta</c> column family, schema 3).
/// Stores written before schema 3 kept them as never-expiring rows of the sessions column family; opening such a
/// store moves them. Deleting the account deletes them.
/// </summary>
public static class AccountMetaRows
{
    /// <summary>Session chains (<see cref="SessionStore"/>).</summary>
    public const string Families = "families";
    /// <summary>App passwords.</summary>
    public const string AppPasswords = "apppw";
    /// <summary>app.bsky.actor preferences.</summary>
    public const string Preferences = "prefs";

    /// <summary>The row's payload, or null.</summary>
    public static byte[]? Read(AlteranStore store, string kind, long account) => store.GetAccountMeta(account, kind);

    /// <summary>Replaces the row's payload (durable).</summary>
    public static void Write(AlteranStore store, string kind, long account, ReadOnlySpan<byte> payload) =>
        store.PutAccountMeta(account, kind, payload);
}
