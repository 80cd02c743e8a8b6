using System.Buffers.Binary;
using Alteran.Protocol;
using Alteran.Protocol.Syntax;
using Alteran.Storage.Rocks;

namespace Alteran.Storage.Blocks;

/// <summary>
/// Which commit (rev) wrote each repo block (schema 2, STORAGE-LAYOUT.md, keep in sync):
/// <code>
/// blocks:     account(8) | cid(36)           → rev(8) | block bytes
/// block_revs: account(8) | rev(8) | cid(36)  → (empty)
/// </code>
/// The rev is the commit's TID as its 64-bit value, big-endian, so byte order is rev order and
/// <c>getRepo?since=</c> is one range scan of <c>block_revs</c>. A block keeps the rev of the commit that first
/// wrote it (a later commit that writes the same CID again changes nothing, as the reference's
/// <c>onConflict doNothing</c>); the value's rev says which index key to delete when the block is removed.
/// </summary>
internal static class BlockRevIndex
{
    public const int RevLength = 8;
    public const int KeyLength = KeyCodec.AccountIdLength + RevLength + Cid.ByteLength;

    /// <summary>The rev as stored: the TID's integer value. Throws <see cref="ArgumentException"/> for a non-TID.</summary>
    public static ulong ParseRev(string rev, string paramName) =>
        Tid.TryParse(rev, out Tid tid) ? tid.Value : throw new ArgumentException("Rev must be a TID.", paramName);

    public static int WriteKey(Span<byte> dest, long account, ulong rev, in Cid cid)
    {
        KeyCodec.WriteAccount(dest, account);
        BinaryPrimitives.WriteUInt64BigEndian(dest[KeyCodec.AccountIdLength..], rev);
        cid.WriteTo(dest.Slice(KeyCodec.AccountIdLength + RevLength, Cid.ByteLength));
        return KeyLength;
    }

    /// <summary>account | rev: the first index key of <paramref name="rev"/> (inclusive lower bound).</summary>
    public static int WriteRevPrefix(Span<byte> dest, long account, ulong rev)
    {
        KeyCodec.WriteAccount(dest, account);
        BinaryPrimitives.WriteUInt64BigEndian(dest[KeyCodec.AccountIdLength..], rev);
        return KeyCodec.AccountIdLength + RevLength;
    }

    public static ulong ReadKeyRev(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadUInt64BigEndian(key[KeyCodec.AccountIdLength..]);

    public static Cid ReadKeyCid(ReadOnlySpan<byte> key) =>
        key.Length == KeyLength && Cid.TryReadExact(key[(KeyCodec.AccountIdLength + RevLength)..], out Cid cid) ? cid
            : throw new StorageException(StorageError.Corruption, "Bad block_revs key.");

    /// <summary>The rev a block value was written under.</summary>
    public static ulong ReadValueRev(ReadOnlySpan<byte> value) =>
        value.Length >= RevLength ? BinaryPrimitives.ReadUInt64BigEndian(value)
            : throw new StorageException(StorageError.Corruption, "Bad block value (no rev).");

    /// <summary>The block bytes of a stored block value (after the rev).</summary>
    public static ReadOnlySpan<byte> Data(ReadOnlySpan<byte> value) =>
        value.Length >= RevLength ? value[RevLength..]
            : throw new StorageException(StorageError.Corruption, "Bad block value (no rev).");

    /// <summary>The rev the block was written under, as the writer sees it (this batch, else durable); null if absent.</summary>
    public static ulong? CurrentRev(WriteContext context, long account, in Cid cid)
    {
        if (context.Blocks.TryGetValue((account, cid), out ulong? pending))
            return pending;
        Span<byte> key = stackalloc byte[KeyCodec.BlockKeyLength];
        KeyCodec.WriteBlockKey(key, account, cid);
        if (!context.Db.TryGetPinned(ColumnFamily.Blocks, key, out PinnedValue v))
            return null;
        using (v)
            return ReadValueRev(v.Span);
    }
}
