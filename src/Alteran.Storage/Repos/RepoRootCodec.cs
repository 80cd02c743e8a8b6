using Alteran.Protocol;
using Alteran.Storage.Rocks;

namespace Alteran.Storage.Repos;

/// <summary>repo_roots value: commit CID (36) | rev (ASCII TID, 1..64 bytes). See STORAGE-LAYOUT.md.</summary>
internal static class RepoRootCodec
{
    public const int MaxRevLength = 64;
    public const int MaxValueLength = Cid.ByteLength + MaxRevLength;

    public static int Write(Span<byte> dest, in Cid commit, string rev)
    {
        commit.WriteTo(dest);
        return Cid.ByteLength + KeyCodec.WriteAscii(dest[Cid.ByteLength..], rev, MaxRevLength, nameof(rev));
    }

    public static RepoRoot Read(ReadOnlySpan<byte> value)
    {
        if (value.Length <= Cid.ByteLength || !Cid.TryReadExact(value[..Cid.ByteLength], out Cid cid))
            throw new StorageException(StorageError.Corruption, "Bad repo root value.");
        return new RepoRoot(cid, KeyCodec.ReadAscii(value[Cid.ByteLength..]));
    }

    /// <summary>The root as the writer sees it: changed earlier in this batch, else durable.</summary>
    public static Cid CurrentRoot(WriteContext context, long account)
    {
        if (context.Roots.TryGetValue(account, out Cid pending))
            return pending;
        Span<byte> key = stackalloc byte[KeyCodec.AccountIdLength];
        KeyCodec.WriteAccount(key, account);
        if (!context.Db.TryGetPinned(ColumnFamily.RepoRoots, key, out PinnedValue v))
            return default;
        using (v)
            return Read(v.Span).Commit;
    }
}

/// <summary>A repo's current head: the signed commit's CID and its rev.</summary>
public readonly record struct RepoRoot(Cid Commit, string Rev);
