using System.Buffers.Binary;
using System.Text;
using Alteran.Protocol;

namespace Alteran.Storage.Rocks;

/// <summary>
/// Builds and parses every key layout (see STORAGE-LAYOUT.md, keep in sync). Integers are fixed-width big-endian
/// so byte order equals numeric order. Builders write into a caller span and return the length written.
/// </summary>
internal static class KeyCodec
{
    public const int AccountIdLength = 8;
    public const int SeqLength = 8;
    public const int BlockKeyLength = AccountIdLength + Cid.ByteLength;

    /// <summary>NSID max 317 + separator + record key max 512, with headroom: the largest record key.</summary>
    public const int MaxRecordKeyLength = AccountIdLength + 320 + 1 + 512;
    public const int MaxCollectionLength = 317;
    public const int MaxRkeyLength = 512;

    public static int WriteAccount(Span<byte> dest, long accountId)
    {
        BinaryPrimitives.WriteInt64BigEndian(dest, accountId);
        return AccountIdLength;
    }

    public static long ReadAccount(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadInt64BigEndian(key);

    // blocks: account(8) | cid(36)
    public static int WriteBlockKey(Span<byte> dest, long accountId, in Cid cid)
    {
        BinaryPrimitives.WriteInt64BigEndian(dest, accountId);
        cid.WriteTo(dest.Slice(AccountIdLength, Cid.ByteLength));
        return BlockKeyLength;
    }

    // records: account(8) | collection (ASCII NSID) | 0x00 | rkey (ASCII)
    public static int WriteRecordKey(Span<byte> dest, long accountId, string collection, string rkey)
    {
        int n = WriteCollectionPrefix(dest, accountId, collection);
        return n + WriteAscii(dest[n..], rkey, MaxRkeyLength, nameof(rkey));
    }

    /// <summary>account | collection | 0x00: the prefix every record of one collection shares.</summary>
    public static int WriteCollectionPrefix(Span<byte> dest, long accountId, string collection)
    {
        BinaryPrimitives.WriteInt64BigEndian(dest, accountId);
        int n = AccountIdLength + WriteAscii(dest[AccountIdLength..], collection, MaxCollectionLength, nameof(collection));
        dest[n] = 0;
        return n + 1;
    }

    // events: seq(8)
    public static void WriteSeq(Span<byte> dest, long seq) => BinaryPrimitives.WriteInt64BigEndian(dest, seq);

    public static long ReadSeq(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadInt64BigEndian(key);

    /// <summary>Copies an ASCII identifier (NSID, record key, handle) as bytes; rejects empty, over-long, NUL and non-ASCII.</summary>
    public static int WriteAscii(Span<byte> dest, string value, int maxLength, string name)
    {
        if (value.Length == 0 || value.Length > maxLength)
            throw new ArgumentException($"{name} must be 1..{maxLength} characters.", name);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c is < (char)0x21 or > (char)0x7E)
                throw new ArgumentException($"{name} must be printable ASCII.", name);
            dest[i] = (byte)c;
        }
        return value.Length;
    }

    public static string ReadAscii(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes);

    /// <summary>Increments a key as a big-endian number to get the exclusive upper bound of a prefix.
    /// Returns false if the prefix is all 0xFF (no finite upper bound).</summary>
    public static bool TryPrefixSuccessor(Span<byte> prefix, out int length)
    {
        for (int i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] != 0xFF)
            {
                prefix[i]++;
                length = i + 1;
                return true;
            }
        }
        length = 0;
        return false;
    }
}
