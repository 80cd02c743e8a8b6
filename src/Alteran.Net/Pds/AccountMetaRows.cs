using System.Text;
using Alteran.Storage;

namespace Alteran.Net.Pds;

/// <summary>
/// Small per-account PDS state (session chain list, app passwords, preferences) kept as never-expiring rows of the
/// store's <c>sessions</c> column family under reserved keys <c>~&lt;kind&gt;:&lt;account&gt;</c> (refresh-token ids
/// are base64url and never start with <c>~</c>). They live in that CF because it is the only per-account
/// key/value area the store exposes publicly; deleting the account deletes them with its sessions.
/// TODO(storage): a dedicated account-meta API would be cleaner.
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
    public static byte[]? Read(AlteranStore store, string kind, long account) => store.GetSession(Key(kind, account))?.Payload;

    /// <summary>Replaces the row's payload (durable).</summary>
    public static void Write(AlteranStore store, string kind, long account, ReadOnlySpan<byte> payload) =>
        store.PutSession(Key(kind, account), account, long.MaxValue, payload);

    private static byte[] Key(string kind, long account) => Encoding.ASCII.GetBytes("~" + kind + ":" + account.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
