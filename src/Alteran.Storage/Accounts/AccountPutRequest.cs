using Alteran.Storage.Log;
using Alteran.Storage.Rocks;

namespace Alteran.Storage.Accounts;

/// <summary>Creates or replaces an account row and keeps the DID/handle indexes unique; optionally logs an event.</summary>
internal sealed class AccountPutRequest(AccountRow row, bool create, IEventEncoder? encoder, EventBuffer? output) : WriteRequest
{
    public override void Stage(WriteContext context)
    {
        ArgumentException.ThrowIfNullOrEmpty(row.Did);
        AccountRow? old = null;
        if (!create)
        {
            if (row.AccountId <= 0) throw new ArgumentException("AccountId must be positive.", nameof(row));
            byte[]? current = AccountCodec.CurrentRow(context, row.AccountId);
            if (current is null)
                throw new StorageException(StorageError.NotFound, $"No account {row.AccountId}.");
            old = AccountCodec.Decode(row.AccountId, current);
        }

        // Checks (they may throw) before any change to the batch overlays.
        string didKey = "d:" + row.Did;
        string? handleKey = row.Handle is null ? null : "h:" + row.Handle;
        long self = create ? 0 : row.AccountId;
        if (old?.Did != row.Did && Owner(context, AccountCodec.DidTag, row.Did, didKey) is long d && d != self)
            throw new StorageException(StorageError.Conflict, "DID already registered.");
        if (row.Handle is not null && old?.Handle != row.Handle
            && Owner(context, AccountCodec.HandleTag, row.Handle, handleKey!) is long h && h != self)
            throw new StorageException(StorageError.Conflict, "Handle already taken.");

        byte[] encoded = AccountCodec.Encode(row); // validates field sizes
        long id = create ? context.AllocateAccountId() : row.AccountId;
        Span<byte> idBytes = stackalloc byte[8];
        KeyCodec.WriteAccount(idBytes, id);

        context.Put(ColumnFamily.Accounts, AccountCodec.RowKey(id), encoded);
        if (old is not null && old.Did != row.Did)
            context.Delete(ColumnFamily.Accounts, AccountCodec.IndexKey(AccountCodec.DidTag, old.Did));
        if (old?.Handle is not null && old.Handle != row.Handle)
            context.Delete(ColumnFamily.Accounts, AccountCodec.IndexKey(AccountCodec.HandleTag, old.Handle));
        context.Put(ColumnFamily.Accounts, AccountCodec.IndexKey(AccountCodec.DidTag, row.Did), idBytes);
        if (row.Handle is not null)
            context.Put(ColumnFamily.Accounts, AccountCodec.IndexKey(AccountCodec.HandleTag, row.Handle), idBytes);

        long seq = encoder is null ? 0 : context.AppendEvent(id, encoder, output);

        if (old is not null && old.Did != row.Did) context.AccountIndex["d:" + old.Did] = -1;
        if (old?.Handle is not null && old.Handle != row.Handle) context.AccountIndex["h:" + old.Handle] = -1;
        context.AccountRows[id] = encoded;
        context.AccountIndex[didKey] = id;
        if (handleKey is not null) context.AccountIndex[handleKey] = id;
        row.AccountId = id;
        Result = new WriteResult(seq, id);
    }

    private static long? Owner(WriteContext context, byte tag, string value, string overlayKey)
    {
        if (context.AccountIndex.TryGetValue(overlayKey, out long pending))
            return pending < 0 ? null : pending;
        byte[]? v = context.Db.Get(ColumnFamily.Accounts, AccountCodec.IndexKey(tag, value));
        return v is null ? null : KeyCodec.ReadAccount(v);
    }
}
