using System.Buffers.Binary;
using Alteran.Protocol;
using Alteran.Storage.Blocks;
using Alteran.Storage.Blobs;
using Alteran.Storage.Rocks;

namespace Alteran.Storage.Repos;

/// <summary>Stages a <see cref="PreparedCommit"/>: blocks, record index, blob refs, root and event in one batch.</summary>
internal sealed class CommitRequest(PreparedCommit commit) : WriteRequest
{
    public override void Stage(WriteContext context)
    {
        long account = commit.AccountId;
        if (account <= 0) throw new ArgumentException("AccountId must be positive.", nameof(commit));
        if (commit.Commit.IsEmpty) throw new ArgumentException("Commit CID is empty.", nameof(commit));
        if (commit.Rev.Length is 0 or > RepoRootCodec.MaxRevLength)
            throw new ArgumentException("Rev must be 1..64 characters.", nameof(commit));
        ulong rev = BlockRevIndex.ParseRev(commit.Rev, nameof(commit));

        // Checks first (nothing in the overlays may change before the last check).
        if (commit.CheckPrevious)
        {
            Cid current = RepoRootCodec.CurrentRoot(context, account);
            if (current != commit.ExpectedPrevious)
                throw new StorageException(StorageError.Conflict,
                    $"Repo root moved: expected {(commit.ExpectedPrevious.IsEmpty ? "none" : commit.ExpectedPrevious.ToString())}, found {(current.IsEmpty ? "none" : current.ToString())}.");
        }
        foreach (BlobRefWrite r in commit.BlobRefs)
            if (r.Add && !BlobIndex.ExistsForWriter(context, account, r.Blob))
                throw new StorageException(StorageError.NotFound, $"Blob {r.Blob} was not uploaded by this account.");

        Span<byte> key = stackalloc byte[KeyCodec.MaxRecordKeyLength + 1 + Cid.ByteLength];
        Span<byte> cidBytes = stackalloc byte[Cid.ByteLength];
        // Key syntax checks throw: run them all before the first overlay change (a throw rolls back the batch, not
        // the overlays). The event encoder may throw too; its seq is undone by the rollback.
        foreach (RecordWrite r in commit.Records)
            KeyCodec.WriteRecordKey(key, account, r.Collection, r.Rkey);
        foreach (BlobRefWrite r in commit.BlobRefs)
            BlobIndex.WriteRefKey(key, account, r.Blob, r.Collection, r.Rkey);
        long seq = commit.Event is null ? 0 : context.AppendEvent(account, commit.Event, commit.EventOutput);

        Span<byte> revBytes = stackalloc byte[BlockRevIndex.RevLength];
        BinaryPrimitives.WriteUInt64BigEndian(revBytes, rev);
        Span<byte> indexKey = stackalloc byte[BlockRevIndex.KeyLength];

        // Removals first: within a batch the later operation wins, so a block removed and re-added stays (with
        // this commit's rev). Each removal deletes the block's index key, found through the rev in its value.
        foreach (Cid cid in commit.RemovedBlocks)
        {
            if (BlockRevIndex.CurrentRev(context, account, cid) is not ulong oldRev)
                continue;
            context.Delete(ColumnFamily.Blocks, key[..KeyCodec.WriteBlockKey(key, account, cid)]);
            context.Delete(ColumnFamily.BlockRevs, indexKey[..BlockRevIndex.WriteKey(indexKey, account, oldRev, cid)]);
            context.Blocks[(account, cid)] = null;
        }
        // A block the repo already has keeps the rev that first wrote it (a consumer synced past that rev has it).
        foreach ((Cid cid, ReadOnlyMemory<byte> bytes) in commit.NewBlocks)
        {
            if (BlockRevIndex.CurrentRev(context, account, cid) is not null)
                continue;
            context.Put(ColumnFamily.Blocks, key[..KeyCodec.WriteBlockKey(key, account, cid)], revBytes, bytes.Span);
            context.Put(ColumnFamily.BlockRevs, indexKey[..BlockRevIndex.WriteKey(indexKey, account, rev, cid)], default);
            context.Blocks[(account, cid)] = rev;
        }

        foreach (RecordWrite r in commit.Records)
        {
            int n = KeyCodec.WriteRecordKey(key, account, r.Collection, r.Rkey);
            if (r.IsDelete)
            {
                context.Delete(ColumnFamily.Records, key[..n]);
            }
            else
            {
                r.Cid.WriteTo(cidBytes);
                context.Put(ColumnFamily.Records, key[..n], cidBytes);
            }
        }

        foreach (BlobRefWrite r in commit.BlobRefs)
        {
            int n = BlobIndex.WriteRefKey(key, account, r.Blob, r.Collection, r.Rkey);
            if (r.Add) context.Put(ColumnFamily.Blobs, key[..n], revBytes); // the rev lets listBlobs apply "since"
            else context.Delete(ColumnFamily.Blobs, key[..n]);
        }

        Span<byte> root = stackalloc byte[RepoRootCodec.MaxValueLength];
        context.Put(ColumnFamily.RepoRoots, key[..KeyCodec.WriteAccount(key, account)],
            root[..RepoRootCodec.Write(root, commit.Commit, commit.Rev)]);

        context.Roots[account] = commit.Commit;
        foreach (BlobRefWrite r in commit.BlobRefs)
            if (r.Add) context.BlobsReferenced.Add((account, r.Blob));
        Result = new WriteResult(seq, account);
    }
}
