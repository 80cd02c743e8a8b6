using Alteran.Storage.Repos;

namespace Alteran.Storage.Accounts;

/// <summary>An account with its repo head (null when it has no repo yet), as listed by <see cref="AlteranStore.ListAccounts"/>.</summary>
public sealed record AccountListing(AccountRow Account, RepoRoot? Root);

/// <summary>
/// One page of <see cref="AlteranStore.ListAccounts"/>: the accounts in id order and the cursor to pass back for the
/// next page (the last account id examined), or 0 when the listing is complete.
/// </summary>
public sealed record AccountPage(List<AccountListing> Accounts, long NextCursor);
