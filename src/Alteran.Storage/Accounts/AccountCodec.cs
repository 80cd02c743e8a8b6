using System.Buffers.Binary;
using System.Text;
using Alteran.Storage.Rocks;

namespace Alteran.Storage.Accounts;

/// <summary>
/// Layouts of the <c>accounts</c> column family (STORAGE-LAYOUT.md, keep in sync):
/// <code>
/// 0x01 | account(8)        → row: version(1)=1 | status(1) | created(8) | did | handle | email | pw | signing | rotation
///                            (each variable field: u16 big-endian length, 0xFFFF = null, then the bytes; strings UTF-8)
/// 0x02 | did (UTF-8)       → account(8)
/// 0x03 | handle (UTF-8)    → account(8)
/// </code>
/// </summary>
internal static class AccountCodec
{
    public const byte RowTag = 0x01;
    public const byte DidTag = 0x02;
    public const byte HandleTag = 0x03;
    private const byte Version = 1;
    private const ushort Null = 0xFFFF;
    public const int MaxFieldLength = 8192;

    public static byte[] RowKey(long account)
    {
        var key = new byte[9];
        key[0] = RowTag;
        KeyCodec.WriteAccount(key.AsSpan(1), account);
        return key;
    }

    public static byte[] IndexKey(byte tag, string value)
    {
        if (value.Length == 0 || value.Length > 2048)
            throw new ArgumentException("DID or handle length out of range.", nameof(value));
        var key = new byte[1 + Encoding.UTF8.GetByteCount(value)];
        key[0] = tag;
        Encoding.UTF8.GetBytes(value, key.AsSpan(1));
        return key;
    }

    /// <summary>The row as the writer sees it: changed earlier in this batch, else durable; null if absent.</summary>
    public static byte[]? CurrentRow(WriteContext context, long account)
    {
        if (context.AccountRows.TryGetValue(account, out byte[]? pending))
            return pending;
        return context.Db.Get(ColumnFamily.Accounts, RowKey(account));
    }

    public static byte[] Encode(AccountRow row)
    {
        var output = new List<byte>(128) { Version, (byte)row.Status };
        Span<byte> tmp = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(tmp, row.CreatedAt);
        foreach (byte b in tmp) output.Add(b);
        AddField(output, row.Did is null ? null : Encoding.UTF8.GetBytes(row.Did));
        AddField(output, row.Handle is null ? null : Encoding.UTF8.GetBytes(row.Handle));
        AddField(output, row.Email is null ? null : Encoding.UTF8.GetBytes(row.Email));
        AddField(output, row.PasswordHash);
        AddField(output, row.SigningKey);
        AddField(output, row.RotationKeys);
        return output.ToArray();
    }

    private static void AddField(List<byte> output, byte[]? value)
    {
        if (value is null)
        {
            output.Add(0xFF);
            output.Add(0xFF);
            return;
        }
        if (value.Length > MaxFieldLength)
            throw new ArgumentException("Account field too long.");
        output.Add((byte)(value.Length >> 8));
        output.Add((byte)value.Length);
        output.AddRange(value);
    }

    public static AccountRow Decode(long account, ReadOnlySpan<byte> value)
    {
        if (value.Length < 10 || value[0] != Version)
            throw new StorageException(StorageError.Corruption, "Bad account row.");
        var status = (AccountStatus)value[1];
        long created = BinaryPrimitives.ReadInt64BigEndian(value[2..]);
        int pos = 10;
        byte[]? did = ReadField(value, ref pos);
        byte[]? handle = ReadField(value, ref pos);
        byte[]? email = ReadField(value, ref pos);
        byte[]? pw = ReadField(value, ref pos);
        byte[]? signing = ReadField(value, ref pos);
        byte[]? rotation = ReadField(value, ref pos);
        if (did is null || pos != value.Length)
            throw new StorageException(StorageError.Corruption, "Bad account row.");
        return new AccountRow
        {
            AccountId = account,
            Did = Encoding.UTF8.GetString(did),
            Handle = handle is null ? null : Encoding.UTF8.GetString(handle),
            Email = email is null ? null : Encoding.UTF8.GetString(email),
            Status = status,
            CreatedAt = created,
            PasswordHash = pw,
            SigningKey = signing,
            RotationKeys = rotation,
        };
    }

    private static byte[]? ReadField(ReadOnlySpan<byte> value, ref int pos)
    {
        if (value.Length - pos < 2)
            throw new StorageException(StorageError.Corruption, "Truncated account row.");
        ushort len = BinaryPrimitives.ReadUInt16BigEndian(value[pos..]);
        pos += 2;
        if (len == Null)
            return null;
        if (value.Length - pos < len)
            throw new StorageException(StorageError.Corruption, "Truncated account row.");
        byte[] result = value.Slice(pos, len).ToArray();
        pos += len;
        return result;
    }
}
