using System.Diagnostics;
using Alteran.Protocol;
using Alteran.Storage.Repos;
using Xunit.Abstractions;

namespace Alteran.Storage.Tests.Rocks;

/// <summary>
/// Fills a small tmpfs (needs root; the test says so and returns when mount is refused) until a commit fails,
/// then checks the failure is a <see cref="StorageException"/>, acknowledged data is still readable, and after
/// space is freed <see cref="AlteranStore.Reopen"/> recovers in place with every acknowledged commit and new
/// writes are accepted (and survive a normal close/open).
/// </summary>
public class DiskFullTests(ITestOutputHelper output)
{
    private static bool Run(string file, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (string a in args) psi.ArgumentList.Add(a);
            using Process p = Process.Start(psi)!;
            p.WaitForExit(10_000);
            return p.HasExited && p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    [Fact]
    public async Task Full_disk_surfaces_as_StorageException_and_store_recovers()
    {
        string mount = Path.Combine(Path.GetTempPath(), "alteran-full-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(mount);
        if (!OperatingSystem.IsLinux() || !Run("mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", mount))
        {
            output.WriteLine("SKIPPED: cannot mount a tmpfs here (needs root on Linux); disk-full behaviour not exercised.");
            Directory.Delete(mount);
            return;
        }
        try
        {
            string storeDir = Path.Combine(mount, "store");
            var options = new StoreOptions { BlockCacheBytes = 1 << 20, MemtableBudgetBytes = 1 << 20, WriteBufferBytes = 512 << 10 };
            string filler = Path.Combine(mount, "filler");
            // Half the tmpfs: freeing it must leave room for recovery to flush every column family (schema 3 has eleven).
            await File.WriteAllBytesAsync(filler, new byte[6 << 20]);

            var acked = new List<(string Rkey, Cid Record)>();
            StorageException? failure = null;
            var random = new Random(7);
            using (AlteranStore store = AlteranStore.Open(storeDir, options))
            {
                for (int i = 0; i < 2000 && failure is null; i++)
                {
                    byte[] block = new byte[64 * 1024];
                    random.NextBytes(block); // incompressible
                    Cid cid = Cid.ForDagCbor(block);
                    var c = new PreparedCommit { AccountId = 1, Commit = cid, Rev = Commits.Rev(i) };
                    c.AddBlock(cid, block);
                    c.PutRecord("app.test.full", $"k{i:D5}", cid);
                    c.Event = new TestEvent([1]);
                    try
                    {
                        await store.ApplyCommitAsync(c);
                        acked.Add(($"k{i:D5}", cid));
                    }
                    catch (StorageException e)
                    {
                        failure = e;
                    }
                }
                Assert.NotNull(failure);
                output.WriteLine($"failed after {acked.Count} commits: {failure.Error}: {failure.Message}");
                Assert.Contains(failure.Error, new[] { StorageError.NoSpace, StorageError.IoError });
                Assert.NotEmpty(acked);
                // Reads keep working on the failed store.
                Assert.True(store.TryGetRecord(1, "app.test.full", acked[^1].Rkey, out Cid last));
                Assert.Equal(acked[^1].Record, last);
                // A further write fails cleanly (or succeeds if RocksDB recovered by itself): never a crash or hang.
                try
                {
                    await store.ApplyCommitAsync(Commits.Simple(1, "after-full", "x", out _, out _)).WaitAsync(TimeSpan.FromSeconds(30));
                    output.WriteLine("a further write on the full disk succeeded");
                }
                catch (StorageException e)
                {
                    output.WriteLine($"a further write failed too: {e.Error}: {e.Message}");
                }

                // Free space and recover in place: the same instance serves again.
                File.Delete(filler);
                store.Reopen(TimeSpan.FromSeconds(30));
                foreach ((string rkey, Cid record) in acked)
                {
                    Assert.True(store.TryGetRecord(1, "app.test.full", rkey, out Cid got), $"acknowledged {rkey} lost");
                    Assert.Equal(record, got);
                }
                Assert.True(store.LastSeq >= acked.Count);
                WriteResult r = await store.ApplyCommitAsync(Commits.Simple(1, "recovered", "x", out _, out _));
                Assert.Equal(store.LastSeq, r.Seq);
            }

            using (AlteranStore store = AlteranStore.Open(storeDir, options))
            {
                Assert.True(store.TryGetRecord(1, "app.test.post", "recovered", out _));
                Assert.True(store.TryGetRecord(1, "app.test.full", acked[^1].Rkey, out _));
            }
        }
        finally
        {
            Run("umount", "-l", mount);
            try { Directory.Delete(mount, recursive: true); } catch (IOException) { }
        }
    }
}
