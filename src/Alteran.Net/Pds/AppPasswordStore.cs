using System.Text.Json;
using Alteran.Net.Auth;

namespace Alteran.Net.Pds;

/// <summary>The account's app passwords (hashes only), one JSON row in <see cref="AccountMetaRows"/>. Callers serialise writes.</summary>
public sealed class AppPasswordStore(PdsRuntime pds)
{
    /// <summary>Most app passwords per account (each login attempt with one costs an Argon2id per entry).</summary>
    public const int MaxEntries = 50;

    /// <summary>Serialises read-modify-write of the row.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>All entries.</summary>
    public List<StoredAppPassword> List()
    {
        byte[]? payload = AccountMetaRows.Read(pds.Store, AccountMetaRows.AppPasswords, pds.AccountId);
        if (payload is null)
            return [];
        try
        {
            return JsonSerializer.Deserialize(payload, PdsJsonContext.Default.ListStoredAppPassword) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>Replaces all entries.</summary>
    public void Save(List<StoredAppPassword> entries) =>
        AccountMetaRows.Write(pds.Store, AccountMetaRows.AppPasswords, pds.AccountId,
            JsonSerializer.SerializeToUtf8Bytes(entries, PdsJsonContext.Default.ListStoredAppPassword));

    /// <summary>As the auth layer's entries.</summary>
    public static List<AppPasswordEntry> ToEntries(List<StoredAppPassword> stored)
    {
        var list = new List<AppPasswordEntry>(stored.Count);
        foreach (StoredAppPassword s in stored)
            list.Add(new AppPasswordEntry(s.Name, s.PasswordHash, s.Privileged, s.CreatedAt));
        return list;
    }
}
