using Alteran.Storage.Log;
using Alteran.Storage.Rocks;

namespace Alteran.Storage.Accounts;

/// <summary>Deletes an account and everything keyed by its id (repo, records, roots, blob rows, metadata rows, sessions) with
/// range deletions, plus an optional final event. Blob files are removed after the batch is durable.</summary>
internal sealed class AccountDeleteRequest(AlteranStore store, long account, IEventEncoder? encoder, EventBuffer? output) : WriteRequest
{
    public override void Stage(WriteContext context)
    {
        byte[]? current = AccountCodec.CurrentRow(context, account);
        if (current is null)
            throw new StorageException(StorageError.NotFound, $"No account {account}.");
        AccountRow old = AccountCodec.Decode(account, current);

        Span<byte> lo = stackalloc byte[8];
        Span<byte> hi = stackalloc byte[8];
        KeyCodec.WriteAccount(lo, account);
        KeyCodec.WriteAccount(hi, account + 1);
        context.DeleteRange(ColumnFamily.Blocks, lo, hi);
        context.DeleteRange(ColumnFamily.BlockRevs, lo, hi);
        context.DeleteRange(ColumnFamily.Records, lo, hi);
        context.DeleteRange(ColumnFamily.Blobs, lo, hi);
        context.DeleteRange(ColumnFamily.AccountMeta, lo, hi);
        context.Delete(ColumnFamily.RepoRoots, lo);
        context.Delete(ColumnFamily.Accounts, AccountCodec.RowKey(account));
        context.Delete(ColumnFamily.Accounts, AccountCodec.IndexKey(AccountCodec.DidTag, old.Did));
        if (old.Handle is not null)
            context.Delete(ColumnFamily.Accounts, AccountCodec.IndexKey(AccountCodec.HandleTag, old.Handle));
        SessionCodec.StageDeleteAll(context, account);

        long seq = encoder is null ? 0 : context.AppendEvent(account, encoder, output);

        context.AccountRows[account] = null;
        context.AccountIndex["d:" + old.Did] = -1;
        if (old.Handle is not null) context.AccountIndex["h:" + old.Handle] = -1;
        context.Roots[account] = default;
        foreach ((long Account, Protocol.Cid Block) block in context.Blocks.Keys.ToArray())
            if (block.Account == account) context.Blocks[block] = null;
        Result = new WriteResult(seq, account);
    }

    public override void AfterDurable()
    {
        string dir = store.BlobDirectory(account);
        if (Directory.Exists(dir))
            Directory.Delete(dir, recursive: true);
    }
}
