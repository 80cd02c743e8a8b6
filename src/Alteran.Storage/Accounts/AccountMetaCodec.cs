using Alteran.Storage.Rocks;

namespace Alteran.Storage.Accounts;

/// <summary>
/// Layout of the <c>account_meta</c> column family (schema 3, STORAGE-LAYOUT.md, keep in sync):
/// <code>
/// account(8) | kind (ASCII, 1..64)  → value (opaque to storage)
/// </code>
/// One row per (account, kind); deleting the account range-deletes <c>[account, account+1)</c>.
/// </summary>
internal static class AccountMetaCodec
{
    public const int MaxKindLength = 64;
    public const int MaxKeyLength = KeyCodec.AccountIdLength + MaxKindLength;

    /// <summary>Largest value: these are small rows (preferences, app password hashes), not blobs.</summary>
    public const int MaxValueLength = 4 << 20;

    public static int WriteKey(Span<byte> dest, long account, string kind)
    {
        if (account <= 0) throw new ArgumentOutOfRangeException(nameof(account));
        KeyCodec.WriteAccount(dest, account);
        return KeyCodec.AccountIdLength + KeyCodec.WriteAscii(dest[KeyCodec.AccountIdLength..], kind, MaxKindLength, nameof(kind));
    }
}
