using Alteran.Protocol;
using Alteran.Storage.Rocks;

namespace Alteran.Storage.Tests.Rocks;

public class StoreLifecycleTests
{
    [Fact]
    public void New_store_is_stamped_with_the_current_schema()
    {
        using var t = new TempStore();
        Assert.Equal(AlteranStore.CurrentSchemaVersion, t.Store.SchemaVersion);
        t.Reopen();
        Assert.Equal(AlteranStore.CurrentSchemaVersion, t.Store.SchemaVersion);
    }

    [Fact]
    public void Store_from_a_newer_version_is_refused_and_left_untouched()
    {
        using var t = new TempStore();
        AlteranStore.WriteSchemaVersion(t.Store.Db, AlteranStore.CurrentSchemaVersion + 1);
        t.Store.Dispose();
        StorageException e = Assert.Throws<StorageException>(() => AlteranStore.Open(t.Directory, t.Options));
        Assert.Equal(StorageError.SchemaTooNew, e.Error);
        // Still refused the second time: opening did not rewrite the version.
        Assert.Throws<StorageException>(() => AlteranStore.Open(t.Directory, t.Options));
        // Put it back so TempStore can dispose a store.
        AlteranStore.WriteSchemaVersionForTests(t.Directory, t.Options, AlteranStore.CurrentSchemaVersion);
        t.Reopen();
    }

    [Fact]
    public void Store_with_an_unknown_column_family_is_refused()
    {
        using var t = new TempStore();
        t.Store.Db.CreateColumnFamilyForTests("from_the_future");
        t.Store.Dispose();
        StorageException e = Assert.Throws<StorageException>(() => AlteranStore.Open(t.Directory, t.Options));
        Assert.Equal(StorageError.SchemaTooNew, e.Error);
        Assert.Contains("from_the_future", e.Message);
        System.IO.Directory.Delete(Path.Combine(t.Directory, "db"), recursive: true);
        t.Reopen();
    }

    [Fact]
    public async Task Checkpoint_restores_into_a_working_store()
    {
        using var t = new TempStore();
        await t.Store.ApplyCommitAsync(Commits.Simple(1, "before", "x", out Cid rec, out _));
        var blob = await t.Store.UploadBlobAsync(1, new MemoryStream("blob"u8.ToArray()), "text/plain", 100);
        string backup = Path.Combine(t.Directory + "-backup");
        try
        {
            t.Store.CreateCheckpoint(backup);
            await t.Store.ApplyCommitAsync(Commits.Simple(1, "after", "x", out _, out _));
            using AlteranStore restored = AlteranStore.Open(backup, t.Options);
            Assert.True(restored.TryGetRecord(1, "app.test.post", "before", out Cid got));
            Assert.Equal(rec, got);
            Assert.False(restored.TryGetRecord(1, "app.test.post", "after", out _));
            Assert.Equal(1, restored.LastSeq);
            using (FileStream? f = restored.OpenBlob(1, blob.Cid)) Assert.NotNull(f);
            Assert.Equal(2, (await restored.ApplyCommitAsync(Commits.Simple(1, "new", "x", out _, out _))).Seq);
            Assert.Throws<StorageException>(() => t.Store.CreateCheckpoint(backup));
        }
        finally
        {
            Directory.Delete(backup, recursive: true);
        }
    }

    [Fact]
    public async Task Checkpoint_under_concurrent_commits_is_consistent()
    {
        using var t = new TempStore();
        string backup = t.Directory + "-live-backup";
        using var stop = new CancellationTokenSource();
        Task[] writers = Enumerable.Range(1, 4).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < 10_000 && !stop.IsCancellationRequested; i++)
                await t.Store.ApplyCommitAsync(Commits.Simple(w, $"k{i:D5}", "x", out _, out _));
        })).ToArray();
        while (t.Store.LastSeq < 50) await Task.Delay(5);
        try
        {
            t.Store.CreateCheckpoint(backup);
            stop.Cancel();
            await Task.WhenAll(writers);
            using AlteranStore restored = AlteranStore.Open(backup, t.Options);
            Assert.True(restored.LastSeq >= 50);
            long expected = 1;
            using (Alteran.Storage.Log.EventCursor events = restored.ReadEvents(0))
            {
                while (events.MoveNext())
                {
                    Assert.Equal(expected++, events.Seq);
                    // Every event's commit block (its payload) is in the checkpoint too.
                    Cid commit = Cid.Read(TestEvent.PayloadOf(events.Frame));
                    Assert.True(restored.HasBlock(events.AccountId, commit));
                }
            }
            Assert.Equal(restored.LastSeq, expected - 1);
        }
        finally
        {
            stop.Cancel();
            await Task.WhenAll(writers);
            if (Directory.Exists(backup)) Directory.Delete(backup, recursive: true);
        }
    }

    [Fact]
    public void Key_successor_handles_carry_and_all_ff()
    {
        byte[] a = [1, 2, 0xFF];
        Assert.True(KeyCodec.TryPrefixSuccessor(a, out int n));
        Assert.Equal(new byte[] { 1, 3 }, a[..n]);
        Assert.False(KeyCodec.TryPrefixSuccessor(new byte[] { 0xFF, 0xFF }, out _));
    }

    [Fact]
    public void Keys_sort_numerically()
    {
        Span<byte> a = stackalloc byte[8];
        Span<byte> b = stackalloc byte[8];
        KeyCodec.WriteSeq(a, 255);
        KeyCodec.WriteSeq(b, 256);
        Assert.True(a.SequenceCompareTo(b) < 0);
        Assert.Equal(256, KeyCodec.ReadSeq(b));
    }
}

public class ShutdownTests
{
    [Fact]
    public async Task Dispose_with_an_open_cursor_defers_close_and_later_reads_fail_cleanly()
    {
        using var t = new TempStore();
        for (int i = 0; i < 3; i++)
            await t.Store.ApplyCommitAsync(Commits.Simple(1, $"k{i}", "x", out _, out _));
        Alteran.Storage.Blocks.RepoBlockCursor cursor = t.Store.StreamRepoBlocks(1);
        Alteran.Storage.Log.EventCursor events = t.Store.ReadEvents(0);
        t.Store.Dispose();
        Assert.Equal(StorageError.Closed, Assert.Throws<StorageException>(() => t.Store.TryGetRecord(1, "app.test.post", "k0", out _)).Error);
        Assert.Equal(StorageError.Closed, Assert.Throws<StorageException>(() => t.Store.StreamRepoBlocks(1)).Error);
        int blocks = 0;
        while (cursor.MoveNext()) blocks++;
        Assert.Equal(6, blocks);
        cursor.Dispose();
        Assert.True(events.MoveNext()); // still open: the last lease closes the database
        events.Dispose();
        events.Dispose();
        t.Reopen();
        Assert.True(t.Store.TryGetRecord(1, "app.test.post", "k2", out _));
    }
}

public class ReopenTests
{
    [Fact]
    public async Task Reopen_in_place_keeps_state_and_waits_for_cursors()
    {
        using var t = new TempStore();
        await t.Store.ApplyCommitAsync(Commits.Simple(1, "a", "x", out _, out _));
        Alteran.Storage.Log.EventCursor open = t.Store.ReadEvents(0);
        StorageException e = Assert.Throws<StorageException>(() => t.Store.Reopen(TimeSpan.FromMilliseconds(50)));
        Assert.Equal(StorageError.Other, e.Error);
        Assert.Equal(StorageError.Closed, (await Assert.ThrowsAsync<StorageException>(() => t.Store.ApplyCommitAsync(Commits.Simple(1, "b", "x", out _, out _)))).Error);
        open.Dispose();
        t.Store.Reopen(TimeSpan.FromSeconds(10));
        Assert.True(t.Store.TryGetRecord(1, "app.test.post", "a", out _));
        Assert.Equal(2, (await t.Store.ApplyCommitAsync(Commits.Simple(1, "c", "x", out _, out _))).Seq);
    }
}

public class OptionsTests
{
    [Fact]
    public void Unworkable_options_are_rejected_before_anything_is_created()
    {
        string dir = Path.Combine(Path.GetTempPath(), "alteran-opts-" + Guid.NewGuid().ToString("N"));
        Assert.Throws<ArgumentOutOfRangeException>(() => AlteranStore.Open(dir, new StoreOptions { BlockCacheBytes = 10 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => AlteranStore.Open(dir, new StoreOptions { WriteBufferBytes = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => AlteranStore.Open(dir, new StoreOptions { EventLogMaxCount = -1 }));
        Assert.False(Directory.Exists(dir));
    }
}
