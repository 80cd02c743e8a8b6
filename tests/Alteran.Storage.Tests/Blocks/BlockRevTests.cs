using System.Text;
using Alteran.Protocol;
using Alteran.Storage.Blocks;
using Alteran.Storage.Repos;
using Alteran.Storage.Rocks;

namespace Alteran.Storage.Tests.Blocks;

public class BlockRevTests
{
    private static (Cid, byte[]) Block(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        return (Cid.ForDagCbor(bytes), bytes);
    }

    private static PreparedCommit Commit(long account, long rev, string[] add, string[] remove)
    {
        var c = new PreparedCommit { AccountId = account, Rev = Commits.Rev(rev) };
        foreach (string r in remove) c.RemoveBlock(Block(r).Item1);
        foreach (string a in add)
        {
            (Cid cid, byte[] bytes) = Block(a);
            c.AddBlock(cid, bytes);
        }
        (Cid commit, byte[] commitBytes) = Block($"commit {account} {rev}");
        c.AddBlock(commit, commitBytes);
        c.Commit = commit;
        return c;
    }

    private static List<(Cid Cid, byte[] Data)> Stream(AlteranStore store, long account, string? since)
    {
        var result = new List<(Cid, byte[])>();
        using RepoBlockCursor cursor = since is null ? store.StreamRepoBlocks(account) : store.StreamRepoBlocks(account, since);
        while (cursor.MoveNext())
            result.Add((cursor.Cid, cursor.Data.ToArray()));
        return result;
    }

    private static HashSet<Cid> Cids(params string[] texts)
    {
        var set = new HashSet<Cid>();
        foreach (string t in texts) set.Add(Block(t).Item1);
        return set;
    }

    /// <summary>Three commits; the diff since each rev is exactly what later commits wrote and still hold.</summary>
    private static async Task BuildThreeCommits(AlteranStore store, long account = 1)
    {
        // rev 1: a, b, c1; rev 2: d, c2, removes c1; rev 3: e, c3, a again (already there), removes c2 and the old commits.
        await store.ApplyCommitAsync(Commit(account, 1, ["a", "b", "c1"], []));
        await store.ApplyCommitAsync(Commit(account, 2, ["d", "c2"], ["c1", $"commit {account} 1"]));
        await store.ApplyCommitAsync(Commit(account, 3, ["e", "c3", "a"], ["c2", $"commit {account} 2"]));
    }

    [Fact]
    public async Task Since_returns_exactly_the_blocks_later_commits_wrote_newest_rev_first()
    {
        using var t = new TempStore();
        await BuildThreeCommits(t.Store);
        await BuildThreeCommits(t.Store, account: 2); // another repo: never leaks in

        var since1 = Stream(t.Store, 1, Commits.Rev(1));
        Assert.Equal(Cids("d", "e", "c3", "commit 1 3"), since1.Select(b => b.Cid).ToHashSet());
        Assert.Equal(4, since1.Count);
        // The head commit first, then newest rev first: rev 3's blocks, then rev 2's (only d survives).
        Assert.Equal(Block("commit 1 3").Item1, since1[0].Cid);
        Assert.Equal(Block("d").Item1, since1[^1].Cid);
        foreach ((Cid cid, byte[] data) in since1)
            Assert.Equal(cid, Cid.ForDagCbor(data)); // bytes without the stored rev prefix

        Assert.Equal(Cids("e", "c3", "commit 1 3"), Stream(t.Store, 1, Commits.Rev(2)).Select(b => b.Cid).ToHashSet());
        // "a" was rewritten by rev 3 but kept rev 1 (as the reference: the first writer's rev stays).
        Assert.DoesNotContain(Block("a").Item1, Stream(t.Store, 1, Commits.Rev(2)).Select(b => b.Cid));
        // since = head: nothing is newer (the reference's repoRev > since gives no rows either).
        Assert.Empty(Stream(t.Store, 1, Commits.Rev(3)));
        Assert.Empty(Stream(t.Store, 1, Commits.Rev(1000)));
        Assert.Empty(Stream(t.Store, 1, "jzzzzzzzzzzzz"));

        // Older than every rev: the whole repo, same blocks as the full export.
        var all = Stream(t.Store, 1, null).Select(b => b.Cid).ToHashSet();
        Assert.Equal(Cids("a", "b", "d", "e", "c3", "commit 1 3"), all);
        Assert.Equal(all, Stream(t.Store, 1, Commits.Rev(0)).Select(b => b.Cid).ToHashSet());
        Assert.Equal(all, Stream(t.Store, 1, "2222222222222").Select(b => b.Cid).ToHashSet());
        Assert.Equal(6, t.Store.CountRepoBlocks(1));
        Assert.Equal(6, t.Store.CountRepoBlocks(2));
        Assert.Equal(0, t.Store.CountRepoBlocks(3));
    }

    [Fact]
    public async Task Since_must_be_a_tid_and_commits_must_carry_tid_revs()
    {
        using var t = new TempStore();
        await BuildThreeCommits(t.Store);
        Assert.Throws<ArgumentException>(() => t.Store.StreamRepoBlocks(1, "not-a-tid"));
        Assert.Throws<ArgumentException>(() => t.Store.StreamRepoBlocks(1, ""));
        var bad = Commit(1, 4, ["x"], []);
        bad.Rev = "r4";
        await Assert.ThrowsAsync<ArgumentException>(() => t.Store.ApplyCommitAsync(bad));
        Assert.False(t.Store.HasBlock(1, Block("x").Item1));
    }

    [Fact]
    public async Task Block_removed_and_readded_in_one_commit_takes_the_new_rev()
    {
        using var t = new TempStore();
        await t.Store.ApplyCommitAsync(Commit(1, 1, ["a", "b"], []));
        await t.Store.ApplyCommitAsync(Commit(1, 2, ["a"], ["a"]));
        Assert.Contains(Block("a").Item1, Stream(t.Store, 1, Commits.Rev(1)).Select(b => b.Cid));
        Assert.True(t.Store.HasBlock(1, Block("a").Item1));
        Assert.Equal(4, t.Store.CountRepoBlocks(1)); // a, b, two commits: one index key per block
    }

    [Fact]
    public async Task Commits_grouped_in_one_batch_index_each_block_once()
    {
        using var t = new TempStore();
        // Enqueued together, these usually share one write batch: the second must see the first's blocks.
        var tasks = new List<Task>();
        for (int i = 1; i <= 20; i++)
            tasks.Add(t.Store.ApplyCommitAsync(Commit(1, i, ["shared", $"own {i}"], i % 3 == 0 ? ["shared"] : [])));
        await Task.WhenAll(tasks);
        int blocks = Stream(t.Store, 1, null).Count;
        Assert.Equal(blocks, t.Store.CountRepoBlocks(1));
        Assert.Equal(blocks, Stream(t.Store, 1, Commits.Rev(0)).Count);
        Assert.Equal(blocks, Stream(t.Store, 1, "2222222222222").Count);
    }

    [Fact]
    public async Task Sweep_and_account_delete_remove_the_index_keys()
    {
        using var t = new TempStore();
        long account = (await t.Store.CreateAccountAsync(new Alteran.Storage.Accounts.AccountRow { Did = "did:plc:blockrevs" })).AccountId;
        await BuildThreeCommits(t.Store, account);
        var live = Cids("a", $"commit {account} 3");
        long deleted = await t.Store.SweepBlocksAsync(account, Block($"commit {account} 3").Item1, live, maxScanPerStep: 2);
        Assert.Equal(4, deleted);
        Assert.Equal(2, t.Store.CountRepoBlocks(account));
        Assert.Equal([Block($"commit {account} 3").Item1], Stream(t.Store, account, Commits.Rev(2)).Select(b => b.Cid));

        await t.Store.DeleteAccountAsync(account);
        Assert.Equal(0, t.Store.CountRepoBlocks(account));
        Assert.Empty(Stream(t.Store, account, Commits.Rev(0)));
    }

    [Fact]
    public async Task Since_stream_reads_one_snapshot()
    {
        using var t = new TempStore();
        await BuildThreeCommits(t.Store);
        using RepoBlockCursor cursor = t.Store.StreamRepoBlocks(1, Commits.Rev(1));
        Assert.True(cursor.MoveNext());
        await t.Store.ApplyCommitAsync(Commit(1, 4, ["f"], ["d", "e", "c3"]));
        int n = 1;
        while (cursor.MoveNext()) n++;
        Assert.Equal(4, n);
    }

    [Fact]
    public async Task Migration_from_schema_1_indexes_existing_blocks_under_the_head_rev_and_is_idempotent()
    {
        using var t = new TempStore();
        await BuildThreeCommits(t.Store);
        await t.Store.ApplyCommitAsync(Commit(2, 7, ["x", "y"], []));
        var before = Stream(t.Store, 1, null).Select(b => (b.Cid, Convert.ToHexString(b.Data))).ToHashSet();
        t.Store.Dispose();
        DowngradeToSchema1(t.Directory, t.Options);

        AlteranStore store = t.Reopen();
        Assert.Equal(AlteranStore.CurrentSchemaVersion, store.SchemaVersion);
        Assert.Equal(before, Stream(store, 1, null).Select(b => (b.Cid, Convert.ToHexString(b.Data))).ToHashSet());
        Assert.Equal(6, store.CountRepoBlocks(1));
        Assert.Equal(3, store.CountRepoBlocks(2));
        // Every old block counts as written by the head of that time: a superset for older revs, nothing past the head.
        Assert.Equal(6, Stream(store, 1, Commits.Rev(1)).Count);
        Assert.Empty(Stream(store, 1, Commits.Rev(3)));
        Assert.Equal("a"u8.ToArray(), store.GetBlock(1, Block("a").Item1));

        // New commits after the upgrade are indexed precisely.
        await store.ApplyCommitAsync(Commit(1, 4, ["f"], []));
        Assert.Equal(Cids("f", "commit 1 4"), Stream(store, 1, Commits.Rev(3)).Select(b => b.Cid).ToHashSet());

        // Re-running the step (a crash before the version stamp) changes nothing.
        store.Dispose();
        AlteranStore.WriteSchemaVersionForTests(t.Directory, t.Options, 1);
        store = t.Reopen();
        Assert.Equal(8, store.CountRepoBlocks(1));
        foreach ((Cid cid, byte[] data) in Stream(store, 1, null))
            Assert.Equal(cid, Cid.ForDagCbor(data));
    }

    [Fact]
    public async Task Migration_resumes_after_a_crash_part_way_without_converting_a_block_twice()
    {
        using var t = new TempStore();
        await BuildThreeCommits(t.Store);
        await t.Store.ApplyCommitAsync(Commit(2, 7, ["x", "y", "z"], []));
        var before = Stream(t.Store, 1, null).Concat(Stream(t.Store, 2, null)).Select(b => (b.Cid, Convert.ToHexString(b.Data))).ToHashSet();
        t.Store.Dispose();
        DowngradeToSchema1(t.Directory, t.Options);
        ConvertFirstBlocksAsAnInterruptedRunWould(t.Directory, t.Options, 4);

        AlteranStore store = t.Reopen();
        Assert.Equal(before, Stream(store, 1, null).Concat(Stream(store, 2, null)).Select(b => (b.Cid, Convert.ToHexString(b.Data))).ToHashSet());
        Assert.Equal(6, store.CountRepoBlocks(1));
        Assert.Equal(4, store.CountRepoBlocks(2));
        Assert.Empty(Stream(store, 1, Commits.Rev(3)));
        Assert.Empty(Stream(store, 2, Commits.Rev(7)));
    }

    /// <summary>Does what the first batch of an interrupted migration leaves behind: the first <paramref name="count"/>
    /// blocks (key order) converted under their repo's head rev, and the progress key pointing at the next one.</summary>
    private static unsafe void ConvertFirstBlocksAsAnInterruptedRunWould(string root, StoreOptions options, int count)
    {
        using RocksDb db = RocksDb.Open(Path.Combine(root, "db"), options);
        var converted = new List<(byte[] Key, byte[] Value, byte[] Index)>();
        byte[] next;
        using (RocksIterator it = db.NewIterator(ColumnFamily.Blocks, default, default))
        {
            it.SeekToFirst();
            for (int i = 0; i < count; i++, it.Next())
            {
                long account = KeyCodec.ReadAccount(it.Key);
                ulong rev = Alteran.Protocol.Syntax.Tid.Parse(account == 1 ? Commits.Rev(3) : Commits.Rev(7)).Value;
                byte[] value = new byte[8 + it.Value.Length];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(value, rev);
                it.Value.CopyTo(value.AsSpan(8));
                byte[] index = new byte[BlockRevIndex.KeyLength];
                BlockRevIndex.WriteKey(index, account, rev, Cid.Read(it.Key[8..]));
                converted.Add((it.Key.ToArray(), value, index));
            }
            Assert.True(it.Valid);
            next = it.Key.ToArray();
        }
        nint batch = RocksNative.rocksdb_writebatch_create();
        db.Enter();
        try
        {
            foreach ((byte[] key, byte[] value, byte[] index) in converted)
                fixed (byte* k = key) fixed (byte* v = value) fixed (byte* ix = index)
                {
                    RocksNative.rocksdb_writebatch_put_cf(batch, db.Cf(ColumnFamily.Blocks), k, (nuint)key.Length, v, (nuint)value.Length);
                    RocksNative.rocksdb_writebatch_put_cf(batch, db.Cf(ColumnFamily.BlockRevs), ix, (nuint)index.Length, null, 0);
                }
            byte[] progress = "migration_2_next"u8.ToArray();
            fixed (byte* p = progress) fixed (byte* n = next)
                RocksNative.rocksdb_writebatch_put_cf(batch, db.Cf(ColumnFamily.Meta), p, (nuint)progress.Length, n, (nuint)next.Length);
            db.Write(batch, sync: true);
        }
        finally
        {
            db.Exit();
            RocksNative.rocksdb_writebatch_destroy(batch);
        }
    }

    /// <summary>Rewrites a closed store into the schema 1 layout: block values without the rev, no block_revs keys.</summary>
    private static unsafe void DowngradeToSchema1(string root, StoreOptions options)
    {
        using RocksDb db = RocksDb.Open(Path.Combine(root, "db"), options);
        var blocks = new List<(byte[] Key, byte[] Value)>();
        var index = new List<byte[]>();
        using (RocksIterator it = db.NewIterator(ColumnFamily.Blocks, default, default))
        {
            for (it.SeekToFirst(); it.Valid; it.Next())
                blocks.Add((it.Key.ToArray(), it.Value[BlockRevIndex.RevLength..].ToArray()));
        }
        using (RocksIterator it = db.NewIterator(ColumnFamily.BlockRevs, default, default))
        {
            for (it.SeekToFirst(); it.Valid; it.Next())
                index.Add(it.Key.ToArray());
        }
        nint batch = RocksNative.rocksdb_writebatch_create();
        db.Enter();
        try
        {
            foreach ((byte[] key, byte[] value) in blocks)
                fixed (byte* k = key) fixed (byte* v = value)
                    RocksNative.rocksdb_writebatch_put_cf(batch, db.Cf(ColumnFamily.Blocks), k, (nuint)key.Length, v, (nuint)value.Length);
            foreach (byte[] key in index)
                fixed (byte* k = key)
                    RocksNative.rocksdb_writebatch_delete_cf(batch, db.Cf(ColumnFamily.BlockRevs), k, (nuint)key.Length);
            byte[] progress = "migration_2_next"u8.ToArray(); // a schema 1 store never had it
            fixed (byte* k = progress)
                RocksNative.rocksdb_writebatch_delete_cf(batch, db.Cf(ColumnFamily.Meta), k, (nuint)progress.Length);
            db.Write(batch, sync: true);
        }
        finally
        {
            db.Exit();
            RocksNative.rocksdb_writebatch_destroy(batch);
        }
        AlteranStore.WriteSchemaVersion(db, 1);
    }
}
