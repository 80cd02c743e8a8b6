using System.Collections.Concurrent;
using Alteran.Net.Repo;
using Alteran.Protocol;
using Alteran.Protocol.Sync;
using static Alteran.Net.Tests.Repo.RepoTestData;

namespace Alteran.Net.Tests.Repo;

public sealed class RepoConcurrencyTests
{
    [Fact]
    public async Task Sixteen_writers_on_one_repo_lose_nothing_and_revs_follow_seqs()
    {
        using var f = new RepoFixture();
        TestAccount a = await f.CreateAccountAsync();
        const int Writers = 16, PerWriter = 8;
        var results = new ConcurrentBag<RepoCommitResult>();
        var tasks = new Task[Writers];
        for (int w = 0; w < Writers; w++)
        {
            int writer = w;
            tasks[w] = Task.Run(async () =>
            {
                for (int i = 0; i < PerWriter; i++)
                    results.Add(await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(Posts, $"w{writer:D2}-{i:D2}", Record(Posts, $"{writer}/{i}"))]));
            });
        }
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(120));

        var ordered = results.ToArray();
        Array.Sort(ordered, (x, y) => x.Seq.CompareTo(y.Seq));
        Assert.Equal(Writers * PerWriter, ordered.Length);
        for (int i = 1; i < ordered.Length; i++)
        {
            Assert.True(ordered[i].Seq > ordered[i - 1].Seq);
            Assert.True(string.CompareOrdinal(ordered[i].Rev, ordered[i - 1].Rev) > 0, "rev order = seq order");
        }
        Assert.Equal(Writers * PerWriter, f.Service.ListRecords(a.Id, Posts, 1000).Count);

        // The event chain is unbroken: each #commit's since is the previous commit's rev.
        List<FirehoseFrame> events = Events(f.Store);
        string? previous = null;
        foreach (FirehoseFrame e in events)
        {
            if (e.Commit is not { } c)
                continue;
            Assert.Equal(previous, c.Since);
            previous = c.Rev;
        }
        Assert.Equal(ordered[^1].Rev, previous);
        Assert.Equal(ordered[^1].Commit, f.Service.GetLatestCommit(a.Id)!.Value.Commit);
    }

    [Fact]
    public async Task Repos_commit_concurrently_and_independently()
    {
        using var f = new RepoFixture();
        var accounts = new TestAccount[4];
        for (int i = 0; i < accounts.Length; i++)
            accounts[i] = await f.CreateAccountAsync();
        var tasks = new List<Task>();
        foreach (TestAccount a in accounts)
            for (int w = 0; w < 4; w++)
            {
                int writer = w;
                tasks.Add(Task.Run(async () =>
                {
                    for (int i = 0; i < 5; i++)
                        await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(Posts, $"k{writer}-{i}", Record(Posts, $"{a.Did}{writer}{i}"))]);
                }));
            }
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(120));
        foreach (TestAccount a in accounts)
        {
            var model = new SortedDictionary<string, (Cid, byte[])>(StringComparer.Ordinal);
            foreach (RepoRecord r in f.Service.ListRecords(a.Id, Posts, 1000))
                model[Posts + "/" + r.Rkey] = (r.Cid, r.Value);
            Assert.Equal(20, model.Count);
            RepoServiceTests.CheckExport(f, a, model, exact: true);
        }
    }

    [Fact]
    public async Task Reopening_continues_rev_and_seq()
    {
        using var f = new RepoFixture();
        TestAccount a = await f.CreateAccountAsync();
        RepoCommitResult before = await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(Posts, "a", Record(Posts, "a"))]);
        // A clock far behind the stored rev (as after a clock step back): the stored rev lifts it.
        f.Reopen(new RepoServiceOptions { Clock = new Protocol.Syntax.TidClock(() => 1_000_000, 1) });
        RepoCommitResult after = await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(Posts, "b", Record(Posts, "b"))]);
        Assert.True(after.Seq > before.Seq);
        Assert.True(string.CompareOrdinal(after.Rev, before.Rev) > 0);
        Assert.Equal(before.Rev, Events(f.Store, before.Seq)[0].Commit!.Since);
    }

    [Fact]
    public async Task A_second_service_on_the_same_store_cannot_fork_the_repo()
    {
        using var f = new RepoFixture();
        TestAccount a = await f.CreateAccountAsync();
        var other = new RepoService(f.Store);
        await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(Posts, "a", Record(Posts, "a"))]);
        await other.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(Posts, "b", Record(Posts, "b"))]);
        // f.Service's cached head is stale now: its commit is refused by the store, then it reloads.
        var ex = await Assert.ThrowsAsync<RepoWriteException>(() =>
            f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(Posts, "c", Record(Posts, "c"))]));
        Assert.Equal(RepoWriteError.Conflict, ex.Error);
        await f.Service.ApplyWritesAsync(a.Id, a.Key, [RepoWriteOp.Create(Posts, "c", Record(Posts, "c"))]);
        Assert.Equal(3, f.Service.ListRecords(a.Id, Posts, 10).Count);
    }
}
