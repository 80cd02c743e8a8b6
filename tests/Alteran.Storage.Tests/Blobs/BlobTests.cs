using Alteran.Protocol;
using Alteran.Storage.Blobs;
using Alteran.Storage.Repos;

namespace Alteran.Storage.Tests.Blobs;

public class BlobTests
{
    private sealed class Clock
    {
        public long Now = 1_700_000_000_000;
    }

    private static TempStore NewStore(Clock clock, long quota = 0) => new(new StoreOptions
    {
        BlockCacheBytes = 4 << 20,
        MemtableBudgetBytes = 4 << 20,
        BlobGracePeriod = TimeSpan.FromMinutes(10),
        BlobQuotaBytes = quota,
        UnixTimeMilliseconds = () => clock.Now,
    });

    private static MemoryStream Content(int size, byte seed)
    {
        var b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = (byte)(seed + i * 7);
        return new MemoryStream(b);
    }

    [Fact]
    public async Task Upload_stores_content_addressed_file_and_row()
    {
        var clock = new Clock();
        using TempStore t = NewStore(clock);
        MemoryStream content = Content(200_000, 1);
        BlobInfo info = await t.Store.UploadBlobAsync(1, content, "image/png", 1 << 20);
        Assert.Equal(Cid.ForRaw(content.ToArray()), info.Cid);
        Assert.Equal(200_000, info.Size);
        Assert.Equal(200_000, t.Store.GetBlobUsage(1));
        BlobInfo again = await t.Store.UploadBlobAsync(1, Content(200_000, 1), "image/png", 1 << 20);
        Assert.Equal(info, again);
        Assert.Equal(200_000, t.Store.GetBlobUsage(1)); // deduplicated
        t.Reopen();
        Assert.True(t.Store.TryGetBlob(1, info.Cid, out BlobInfo stored));
        Assert.Equal("image/png", stored.MimeType);
        using (FileStream? f = t.Store.OpenBlob(1, info.Cid))
        {
            Assert.NotNull(f);
            var copy = new MemoryStream();
            f.CopyTo(copy);
            Assert.Equal(content.ToArray(), copy.ToArray());
        }
        Assert.Null(t.Store.OpenBlob(2, info.Cid));
        Assert.Empty(Directory.GetFiles(Path.Combine(t.Directory, "blobs", "tmp")));
    }

    [Fact]
    public void Interrupted_uploads_are_cleared_on_open()
    {
        var clock = new Clock();
        using TempStore t = NewStore(clock);
        string leftover = Path.Combine(t.Directory, "blobs", "tmp", "deadbeef");
        File.WriteAllBytes(leftover, [1, 2, 3]);
        t.Reopen();
        Assert.False(File.Exists(leftover));
    }

    [Fact]
    public async Task Size_and_quota_limits_fail_cleanly()
    {
        var clock = new Clock();
        using TempStore t = NewStore(clock, quota: 250_000);
        StorageException big = await Assert.ThrowsAsync<StorageException>(() => t.Store.UploadBlobAsync(1, Content(2000, 1), "image/png", 1000));
        Assert.Equal(StorageError.QuotaExceeded, big.Error);
        await t.Store.UploadBlobAsync(1, Content(200_000, 1), "image/png", 1 << 20);
        StorageException quota = await Assert.ThrowsAsync<StorageException>(() => t.Store.UploadBlobAsync(1, Content(100_000, 2), "image/png", 1 << 20));
        Assert.Equal(StorageError.QuotaExceeded, quota.Error);
        await t.Store.UploadBlobAsync(2, Content(100_000, 2), "image/png", 1 << 20); // quota is per account
        Assert.Equal(200_000, t.Store.GetBlobUsage(1));
        Assert.Empty(Directory.GetFiles(Path.Combine(t.Directory, "blobs", "tmp")));
    }

    [Fact]
    public async Task Collector_deletes_only_old_unreferenced_blobs()
    {
        var clock = new Clock();
        using TempStore t = NewStore(clock);
        BlobInfo kept = await t.Store.UploadBlobAsync(1, Content(1000, 1), "image/jpeg", 1 << 20);
        BlobInfo orphan = await t.Store.UploadBlobAsync(1, Content(1000, 2), "image/jpeg", 1 << 20);
        PreparedCommit c = Commits.Simple(1, "post", "with image", out _, out _);
        c.AddBlobRef(kept.Cid, "app.test.post", "post");
        await t.Store.ApplyCommitAsync(c);
        Assert.True(t.Store.IsBlobReferenced(1, kept.Cid));
        Assert.False(t.Store.IsBlobReferenced(1, orphan.Cid));

        Assert.Equal(0, await t.Store.CollectBlobsAsync()); // within the grace period
        clock.Now += 11 * 60_000;
        int deleted = 0;
        for (int i = 0; i < 10; i++) deleted += await t.Store.CollectBlobsAsync(maxScan: 1); // incremental steps
        Assert.Equal(1, deleted);
        Assert.False(t.Store.TryGetBlob(1, orphan.Cid, out _));
        Assert.True(t.Store.TryGetBlob(1, kept.Cid, out _));
        Assert.False(File.Exists(t.Store.BlobPath(1, orphan.Cid)));
        Assert.Equal(1000, t.Store.GetBlobUsage(1));

        // Once the record drops its reference, the blob goes too.
        var d = new PreparedCommit { AccountId = 1, Commit = Cid.ForDagCbor("c2"u8), Rev = Commits.Rev(2) };
        d.DeleteRecord("app.test.post", "post");
        d.RemoveBlobRef(kept.Cid, "app.test.post", "post");
        await t.Store.ApplyCommitAsync(d);
        Assert.Equal(1, await t.Store.CollectBlobsAsync());
        Assert.Equal(0, t.Store.GetBlobUsage(1));
    }

    [Fact]
    public async Task Referencing_a_blob_that_was_never_uploaded_fails()
    {
        var clock = new Clock();
        using TempStore t = NewStore(clock);
        PreparedCommit c = Commits.Simple(1, "post", "x", out _, out _);
        c.AddBlobRef(Cid.ForRaw("nope"u8), "app.test.post", "post");
        StorageException e = await Assert.ThrowsAsync<StorageException>(() => t.Store.ApplyCommitAsync(c));
        Assert.Equal(StorageError.NotFound, e.Error);
        Assert.False(t.Store.TryGetRecord(1, "app.test.post", "post", out _));
    }
}
