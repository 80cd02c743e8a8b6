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
