using System.Buffers.Binary;
using System.Diagnostics;
using Alteran.Protocol;
using Alteran.Storage.Log;
using Alteran.Storage.Repos;
using Xunit.Abstractions;

namespace Alteran.Storage.Tests.Repos;

/// <summary>
/// Runs Alteran.Storage.CrashWriter as a child process, SIGKILLs it at random points, reopens the store and checks:
/// every acknowledged commit is present (record, blocks, event with the same seq), nothing half-applied is visible
/// (each event has its record and block; each root's commit block exists; superseded commit blocks are gone),
/// and seqs are contiguous, strictly increasing and never reused for different content across restarts.
/// </summary>
public class CrashSafetyTests(ITestOutputHelper output)
{
    private const int Iterations = 24;
    private const int Writers = 4;

    private readonly record struct Ack(long Account, string Rkey, Cid Record, Cid Commit);

    [Fact]
    public void Acknowledged_commits_survive_sigkill_and_nothing_half_applied_is_visible()
    {
        string child = Path.Combine(AppContext.BaseDirectory, "Alteran.Storage.CrashWriter.dll");
        Assert.True(File.Exists(child), "CrashWriter not built next to the tests");
        string dir = Path.Combine(Path.GetTempPath(), "alteran-crash-" + Guid.NewGuid().ToString("N"));
        var acked = new Dictionary<long, Ack>();
        var random = new Random(12345);
        var total = Stopwatch.StartNew();
        int kills = 0;
        try
        {
            for (int iteration = 0; iteration < Iterations && total.Elapsed < TimeSpan.FromSeconds(75); iteration++)
            {
                var lines = new List<string>();
                using (var p = new Process())
                {
                    p.StartInfo = new ProcessStartInfo("dotnet")
                    {
                        ArgumentList = { child, dir, $"r{iteration:D2}", Writers.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                        RedirectStandardOutput = true,
                        RedirectStandardError = true,
                        UseShellExecute = false,
                    };
                    var firstAck = new ManualResetEventSlim();
                    p.OutputDataReceived += (_, e) =>
                    {
                        if (e.Data is null) return;
                        lock (lines) lines.Add(e.Data);
                        if (e.Data.StartsWith("ACK", StringComparison.Ordinal)) firstAck.Set();
                    };
                    var stderr = new System.Text.StringBuilder();
                    p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
                    p.Start();
                    p.BeginOutputReadLine();
                    p.BeginErrorReadLine();
                    // Mostly kill while commits stream; sometimes during startup/WAL recovery.
                    if (iteration % 5 == 4)
                        Thread.Sleep(random.Next(0, 400));
                    else
                    {
                        bool started = firstAck.Wait(TimeSpan.FromSeconds(30));
                        Assert.True(started || p.HasExited == false, "child died: " + stderr);
                        Thread.Sleep(random.Next(0, 250));
                    }
                    Assert.False(p.HasExited, "child exited by itself: " + stderr);
                    p.Kill(); // SIGKILL on Unix
                    Assert.True(p.WaitForExit(30_000));
                    p.WaitForExit(); // drains the redirected output
                    kills++;
                }

                int newAcks = 0;
                foreach (string line in lines)
                {
                    if (!line.StartsWith("ACK ", StringComparison.Ordinal)) continue;
                    string[] f = line.Split(' ');
                    long seq = long.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture);
                    var ack = new Ack(long.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), f[3], Cid.Parse(f[4]), Cid.Parse(f[5]));
                    if (acked.TryGetValue(seq, out Ack earlier))
                        Assert.Fail($"seq {seq} acknowledged twice: {earlier} and {ack}");
                    acked[seq] = ack;
                    newAcks++;
                }
                Verify(dir, acked, iteration);
                output.WriteLine($"iteration {iteration}: {newAcks} new acks, {acked.Count} total");
            }
            Assert.True(kills >= 10, $"only {kills} kills ran in the time budget");
            Assert.True(acked.Count > 0);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static void Verify(string dir, Dictionary<long, Ack> acked, int iteration)
    {
        using AlteranStore store = AlteranStore.Open(dir, new StoreOptions { BlockCacheBytes = 4 << 20, MemtableBudgetBytes = 2 << 20 });

        // Every event: contiguous seq, its record and record block exist, consistent with any ack for that seq.
        var lastCommit = new Dictionary<long, Cid>();
        long expected = 1;
        using (EventCursor events = store.ReadEvents(0))
        {
            while (events.MoveNext())
            {
                Assert.Equal(expected, events.Seq);
                ReadOnlySpan<byte> frame = events.Frame;
                Assert.Equal(events.Seq, BinaryPrimitives.ReadInt64BigEndian(frame[3..]));
                long account = BinaryPrimitives.ReadInt64BigEndian(frame[11..]);
                Cid commit = Cid.Read(frame.Slice(19, Cid.ByteLength));
                Cid record = Cid.Read(frame.Slice(19 + Cid.ByteLength, Cid.ByteLength));
                string rkey = System.Text.Encoding.ASCII.GetString(frame[(19 + 2 * Cid.ByteLength)..]);
                Assert.Equal(account, events.AccountId);
                if (acked.TryGetValue(events.Seq, out Ack ack))
                    Assert.Equal(ack, new Ack(account, rkey, record, commit));
                Assert.True(store.TryGetRecord(account, "app.test.crash", rkey, out Cid indexed), $"iteration {iteration}: event {events.Seq} without its record");
                Assert.Equal(record, indexed);
                byte[]? block = store.GetBlock(account, record);
                Assert.True(block is not null && record.Matches(block), $"event {events.Seq} without its record block");
                lastCommit[account] = commit;
                expected++;
            }
        }
        long lastSeq = expected - 1;
        Assert.Equal(lastSeq, store.LastSeq);
        foreach (long seq in acked.Keys)
            Assert.True(seq <= lastSeq, $"iteration {iteration}: acknowledged seq {seq} lost (last {lastSeq})");

        // Roots: each account's root is the commit of its newest event, and that commit block exists.
        for (long account = 1; account <= Writers; account++)
        {
            bool hasRoot = store.TryGetRepoRoot(account, out RepoRoot root);
            Assert.Equal(lastCommit.ContainsKey(account), hasRoot);
            if (!hasRoot) continue;
            Assert.Equal(lastCommit[account], root.Commit);
            byte[]? commitBlock = store.GetBlock(account, root.Commit);
            Assert.True(commitBlock is not null && root.Commit.Matches(commitBlock), "root without its commit block");
            // The chain's previous commit block was removed in the same batch.
            var previous = Cid.TryReadExact(commitBlock.AsSpan(8, Cid.ByteLength), out Cid p) ? p : default;
            if (!previous.IsEmpty)
                Assert.Null(store.GetBlock(account, previous));
        }
    }
}
