using Alteran.Storage.Accounts;
using Alteran.Storage.Repos;
using Alteran.Storage.Rocks;

namespace Alteran.Storage;

public sealed partial class AlteranStore
{
    /// <summary>
    /// Lists accounts in id order after <paramref name="afterAccount"/> (0 = from the start), at most
    /// <paramref name="limit"/> (1..10 000), each with its repo head: one bounded range scan of the account rows,
    /// no id walk. Resume with <see cref="AccountPage.NextCursor"/>; accounts created later appear on later pages
    /// (ids only grow), deleted ones are gone.
    /// </summary>
    public AccountPage ListAccounts(long afterAccount, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterAccount);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 10_000);
        var accounts = new List<AccountListing>(Math.Min(limit, 256));
        if (afterAccount == long.MaxValue)
            return new AccountPage(accounts, 0);
        byte[] lower = AccountCodec.RowKey(afterAccount + 1);
        ReadOnlySpan<byte> upper = [AccountCodec.RowTag + 1];
        long last = 0;
        bool more = false;
        using (RocksIterator it = _db.NewIterator(ColumnFamily.Accounts, lower, upper))
        {
            for (it.Seek(lower); it.Valid; it.Next())
            {
                if (accounts.Count == limit)
                {
                    more = true;
                    break;
                }
                ReadOnlySpan<byte> key = it.Key;
                if (key.Length != 1 + KeyCodec.AccountIdLength)
                    throw new StorageException(StorageError.Corruption, "Bad account row key.");
                long id = KeyCodec.ReadAccount(key[1..]);
                AccountRow row = AccountCodec.Decode(id, it.Value);
                accounts.Add(new AccountListing(row, TryGetRepoRoot(id, out RepoRoot root) ? root : null));
                last = id;
            }
            it.ThrowIfError();
        }
        return new AccountPage(accounts, more ? last : 0);
    }
}
