using Alteran.Protocol;
using Alteran.Storage.Accounts;
using Alteran.Storage.Blobs;
using Alteran.Storage.Repos;

namespace Alteran.Storage.Tests.Listing;

public class ListingTests
{
    [Fact]
    public async Task ListAccounts_pages_resume_exactly_and_skip_deleted_ids()
    {
        using var t = new TempStore();
        var ids = new List<long>();
        for (int i = 0; i < 23; i++)
            ids.Add((await t.Store.CreateAccountAsync(new AccountRow { Did = $"did:plc:list{i}", Handle = $"h{i}.test" })).AccountId);
        for (int i = 0; i < 23; i += 4)
        {
            PreparedCommit c = Commits.Simple(ids[i], "r", "x", out _, out _);
            c.Rev = Commits.Rev(i + 1);
            await t.Store.ApplyCommitAsync(c);
        }
        await t.Store.DeleteAccountAsync(ids[5]);
        await t.Store.DeleteAccountAsync(ids[22]);

        var seen = new List<AccountListing>();
        long cursor = 0;
        for (int page = 0; page < 100; page++)
        {
            AccountPage p = t.Store.ListAccounts(cursor, 4);
            Assert.True(p.Accounts.Count <= 4);
            seen.AddRange(p.Accounts);
            if (p.NextCursor == 0) break;
            Assert.Equal(p.Accounts[^1].Account.AccountId, p.NextCursor);
            cursor = p.NextCursor;
        }
        var expected = ids.Where(id => id != ids[5] && id != ids[22]).ToList();
        Assert.Equal(expected, seen.Select(a => a.Account.AccountId).ToList());
        foreach (AccountListing a in seen)
        {
            int i = ids.IndexOf(a.Account.AccountId);
            Assert.Equal($"did:plc:list{i}", a.Account.Did);
            Assert.Equal(i % 4 == 0, a.Root is not null);
            if (a.Root is RepoRoot root) Assert.Equal(Commits.Rev(i + 1), root.Rev);
        }
        // A page ending exactly at the last account still says "done" on the next call.
        Assert.Empty(t.Store.ListAccounts(expected[^1], 10).Accounts);
        Assert.Equal(0, t.Store.ListAccounts(expected[^1], 10).NextCursor);
        Assert.Equal(expected.Count, t.Store.ListAccounts(0, 10_000).Accounts.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Store.ListAccounts(0, 0));
    }

    private static async Task<Cid> Upload(AlteranStore store, long account, int seed)
    {
        var bytes = new byte[100 + seed];
        bytes[0] = (byte)seed;
        bytes[1] = (byte)(seed >> 8);
        return (await store.UploadBlobAsync(account, new MemoryStream(bytes), "image/png", 1 << 20)).Cid;
    }

    [Fact]
    public async Task ListBlobs_lists_referenced_blobs_once_in_cid_order_with_since_and_exact_cursors()
    {
        using var t = new TempStore();
        var early = new List<Cid>();
        var late = new List<Cid>();
        var c1 = new PreparedCommit { AccountId = 1, Commit = Cid.ForDagCbor("c1"u8), Rev = Commits.Rev(1) };
        c1.AddBlock(c1.Commit, "c1"u8.ToArray());
        for (int i = 0; i < 30; i++)
        {
            Cid blob = await Upload(t.Store, 1, i);
            early.Add(blob);
            c1.AddBlobRef(blob, "app.test.post", $"p{i}");
            c1.AddBlobRef(blob, "app.test.like", $"l{i}"); // two references: listed once
        }
        await t.Store.ApplyCommitAsync(c1);
        var c2 = new PreparedCommit { AccountId = 1, Commit = Cid.ForDagCbor("c2"u8), Rev = Commits.Rev(2) };
        c2.AddBlock(c2.Commit, "c2"u8.ToArray());
        for (int i = 30; i < 40; i++)
        {
            Cid blob = await Upload(t.Store, 1, i);
            late.Add(blob);
            c2.AddBlobRef(blob, "app.test.post", $"p{i}");
        }
        c2.AddBlobRef(early[3], "app.test.repost", "again"); // an old blob referenced again after rev 1
        await t.Store.ApplyCommitAsync(c2);
        await Upload(t.Store, 1, 99); // never referenced: not listed
        await Upload(t.Store, 2, 5);  // other account

        List<Cid> All(string? since, int limit, int maxScan)
        {
            var result = new List<Cid>();
            Cid cursor = default;
            for (int page = 0; page < 1000; page++)
            {
                BlobPage p = t.Store.ListBlobs(1, since, cursor, limit, maxScan);
                Assert.True(p.Cids.Count <= limit);
                result.AddRange(p.Cids);
                if (p.NextCursor.IsEmpty) return result;
                cursor = p.NextCursor;
            }
            throw new InvalidOperationException("no end");
        }

        var expectedAll = early.Concat(late).OrderBy(c => Convert.ToHexString(c.ToBytes()), StringComparer.Ordinal).ToList();
        Assert.Equal(expectedAll, All(null, 7, 10_000));
        Assert.Equal(expectedAll, All(null, 1000, 10_000));
        Assert.Equal(expectedAll, All(null, 3, 2)); // scan bound smaller than a page: short pages, same result

        var expectedSince = late.Append(early[3]).OrderBy(c => Convert.ToHexString(c.ToBytes()), StringComparer.Ordinal).ToList();
        Assert.Equal(expectedSince, All(Commits.Rev(1), 4, 10_000));
        Assert.Equal(expectedSince, All(Commits.Rev(1), 4, 3));
        Assert.Equal(expectedAll, All(Commits.Rev(0), 5, 10_000));
        Assert.Empty(All(Commits.Rev(2), 5, 10_000));
        Assert.Throws<ArgumentException>(() => t.Store.ListBlobs(1, "nope", default, 10));

        Assert.Equal(40, t.Store.CountReferencedBlobs(1));
        Assert.Equal(41, t.Store.CountBlobs(1));
        Assert.Equal(1, t.Store.CountBlobs(2));
        Assert.Equal(0, t.Store.CountReferencedBlobs(2));
    }

    [Fact]
    public async Task CountRecords_counts_the_record_index_of_one_account()
    {
        using var t = new TempStore();
        for (int i = 0; i < 25; i++)
        {
            PreparedCommit c = Commits.Simple(1, $"r{i}", "x", out _, out _, collection: i % 2 == 0 ? "app.test.a" : "app.test.b");
            c.Rev = Commits.Rev(i + 1);
            await t.Store.ApplyCommitAsync(c);
        }
        PreparedCommit other = Commits.Simple(2, "r", "x", out _, out _);
        await t.Store.ApplyCommitAsync(other);
        var del = new PreparedCommit { AccountId = 1, Commit = Cid.ForDagCbor("d"u8), Rev = Commits.Rev(99) };
        del.AddBlock(del.Commit, "d"u8.ToArray());
        del.DeleteRecord("app.test.a", "r0");
        await t.Store.ApplyCommitAsync(del);
        Assert.Equal(24, t.Store.CountRecords(1));
        Assert.Equal(1, t.Store.CountRecords(2));
        Assert.Equal(0, t.Store.CountRecords(3));
    }
}
