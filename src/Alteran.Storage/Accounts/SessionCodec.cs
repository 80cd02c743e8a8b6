using System.Buffers.Binary;
using Alteran.Storage.Rocks;

namespace Alteran.Storage.Accounts;

/// <summary>
/// Layouts of the <c>sessions</c> column family (STORAGE-LAYOUT.md, keep in sync):
/// <code>
/// 0x01 | token id            → account(8) | expires unix ms(8) | payload (opaque, e.g. the refresh token's claims)
/// 0x02 | account(8) | token id → (empty)   index for "revoke every session of an account"
/// </code>
/// </summary>
internal static class SessionCodec
{
    public const byte TokenTag = 0x01;
    public const byte AccountTag = 0x02;
    public const int MaxTokenIdLength = 256;

    public static int WriteTokenKey(Span<byte> dest, ReadOnlySpan<byte> tokenId)
    {
        if (tokenId.Length is 0 or > MaxTokenIdLength)
            throw new ArgumentException("Token id must be 1..256 bytes.", nameof(tokenId));
        dest[0] = TokenTag;
        tokenId.CopyTo(dest[1..]);
        return 1 + tokenId.Length;
    }

    public static int WriteAccountKey(Span<byte> dest, long account, ReadOnlySpan<byte> tokenId)
    {
        dest[0] = AccountTag;
        KeyCodec.WriteAccount(dest[1..], account);
        tokenId.CopyTo(dest[9..]);
        return 9 + tokenId.Length;
    }

    /// <summary>Stages deletion of every session of <paramref name="account"/>.</summary>
    public static void StageDeleteAll(WriteContext context, long account)
    {
        Span<byte> lower = stackalloc byte[9];
        Span<byte> upper = stackalloc byte[9];
        Span<byte> key = stackalloc byte[1 + MaxTokenIdLength];
        lower[0] = upper[0] = AccountTag;
        KeyCodec.WriteAccount(lower[1..], account);
        KeyCodec.WriteAccount(upper[1..], account + 1);
        using RocksIterator it = context.Db.NewIterator(ColumnFamily.Sessions, lower, upper);
        for (it.Seek(lower); it.Valid; it.Next())
        {
            ReadOnlySpan<byte> tokenId = it.Key[9..];
            context.Delete(ColumnFamily.Sessions, key[..WriteTokenKey(key, tokenId)]);
            context.Delete(ColumnFamily.Sessions, it.Key);
        }
        it.ThrowIfError();
    }

    public static Session Decode(ReadOnlySpan<byte> value)
    {
        if (value.Length < 16)
            throw new StorageException(StorageError.Corruption, "Bad session row.");
        return new Session(BinaryPrimitives.ReadInt64BigEndian(value), BinaryPrimitives.ReadInt64BigEndian(value[8..]), value[16..].ToArray());
    }
}

/// <summary>A stored session (refresh token): owner, expiry (unix ms) and opaque payload.</summary>
public sealed record Session(long AccountId, long ExpiresAt, byte[] Payload);
