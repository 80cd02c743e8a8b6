using System.Text.Json;
using Alteran.Protocol;
using Alteran.Protocol.Car;
using Alteran.Protocol.Sync;
using Alteran.Storage.Log;

namespace Alteran.Net.Tests.Pds.Repo;

/// <summary>
/// getRepo?since= and listBlobs?since= on a real server and store, against independently derived sets: the whole
/// repo exported after each commit (a block is "written after R" exactly when the repo at R did not have it) and
/// the commits' own firehose events (each newly written block is in some later commit's event CAR; the event CARs
/// also carry unchanged MST proof nodes, so they are a superset, not the oracle).
/// </summary>
public sealed class SyncSinceTests
{
    private static List<Cid> CarBlocks(byte[] car, out CarHeader header)
    {
        var cids = new List<Cid>();
        var reader = new CarSpanReader(car);
        header = reader.Header;
        while (reader.TryReadBlock(out Cid cid, out ReadOnlySpan<byte> data))
        {
            Assert.Equal(cid, cid.Codec == CidCodec.Raw ? Cid.ForRaw(data) : Cid.ForDagCbor(data));
            cids.Add(cid);
        }
        return cids;
    }

    /// <summary>rev → blocks of each #commit event of <paramref name="did"/>, in log order.</summary>
    private static List<(string Rev, HashSet<Cid> Blocks)> CommitEvents(PdsRepoFixture f, string did)
    {
        var result = new List<(string, HashSet<Cid>)>();
        using EventCursor events = f.Store.ReadEvents(0);
        for (int i = 0; i < 10_000 && events.MoveNext(); i++)
        {
            if (FirehoseFrame.Decode(events.Frame.ToArray()).Commit is not { } commit || commit.Repo != did)
                continue;
            result.Add((commit.Rev, CarBlocks(commit.Blocks.ToArray(), out _).ToHashSet()));
        }
        return result;
    }

    private static async Task<string> PostAsync(PdsRepoFixture f, PdsTestAccount a, string text, string? embed = null)
    {
        JsonElement created = await PdsRepoFixture.OkJsonAsync(await f.PostJsonAsync("com.atproto.repo.createRecord",
            $$$"""{"repo":"{{{a.Did}}}","collection":"app.bsky.feed.post","record":{"text":"{{{text}}}","createdAt":"2024-01-01T00:00:00.000Z"{{{embed ?? ""}}}}}""", a));
        return created.GetProperty("commit").GetProperty("rev").GetString()!;
    }

    private static async Task<(List<Cid> Blocks, Cid Root)> GetRepoAsync(PdsRepoFixture f, PdsTestAccount a, string? since)
    {
        using HttpResponseMessage response = await f.GetAsync($"com.atproto.sync.getRepo?did={a.Did}" + (since is null ? "" : "&since=" + since));
        Assert.Equal(200, (int)response.StatusCode);
        List<Cid> blocks = CarBlocks(await response.Content.ReadAsByteArrayAsync(), out CarHeader header);
        Assert.Equal(blocks.Count, blocks.Distinct().Count()); // no block twice
        return (blocks, Assert.Single(header.Roots));
    }

    [Fact]
    public async Task GetRepo_Since_ReturnsExactlyTheBlocksOfLaterCommits()
    {
        await using var f = PdsRepoFixture.Start();
        PdsTestAccount a = await f.CreateAccountAsync();
        PdsTestAccount other = await f.CreateAccountAsync();
        var revs = new List<string>();
        var snapshots = new List<HashSet<Cid>>();
        for (int i = 0; i < 8; i++)
        {
            revs.Add(await PostAsync(f, a, $"post {i}"));
            snapshots.Add((await GetRepoAsync(f, a, null)).Blocks.ToHashSet());
            await PostAsync(f, other, $"other {i}");
        }
        string head = revs[^1];
        Cid headCommit = f.Repo.GetLatestCommit(a.Id)!.Value.Commit;
        Assert.Equal(head, f.Repo.GetLatestCommit(a.Id)!.Value.Rev);

        (List<Cid> full, Cid fullRoot) = await GetRepoAsync(f, a, null);
        Assert.Equal(headCommit, fullRoot);
        var current = full.ToHashSet();
        var events = CommitEvents(f, a.Did);
        Assert.Equal(revs, events.Select(e => e.Rev).Where(r => revs.Contains(r)).ToList());

        foreach (int middle in new[] { 0, 3, 6 })
        {
            string since = revs[middle];
            // What the repo holds now and did not hold at `since`.
            var expected = new HashSet<Cid>(current);
            expected.ExceptWith(snapshots[middle]);
            (List<Cid> diff, Cid root) = await GetRepoAsync(f, a, since);
            Assert.Equal(headCommit, root);
            var reported = new HashSet<Cid>();
            foreach (var e in events)
                if (string.CompareOrdinal(e.Rev, since) > 0)
                    reported.UnionWith(e.Blocks);
            Assert.Subset(reported, diff.ToHashSet());
            Assert.True(expected.SetEquals(diff), $"since {since} (#{middle}): expected {expected.Count}, got {diff.Count}, common {expected.Intersect(diff).Count()}, full {full.Count}, events {string.Join(",", events.Select(e => e.Rev + ":" + e.Blocks.Count))} revs {string.Join(",", revs)}");
            Assert.Equal(headCommit, diff[0]); // newest rev first: the head commit's blocks lead
        }

        // since = head: the reference selects repoRev > since, i.e. nothing: a CAR with the root and no blocks.
        (List<Cid> none, Cid noneRoot) = await GetRepoAsync(f, a, head);
        Assert.Equal(headCommit, noneRoot);
        Assert.Empty(none);

        // since older than every rev (including the repo's creation): the whole repo.
        (List<Cid> all, _) = await GetRepoAsync(f, a, "2222222222222");
        Assert.Equal(current, all.ToHashSet());
        Assert.Equal(full.Count, all.Count);

        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync($"com.atproto.sync.getRepo?did={a.Did}&since=3jzfcijpj2z2"), 400, "InvalidRequest");
        await PdsRepoFixture.AssertErrorAsync(await f.GetAsync($"com.atproto.sync.getRepo?did={a.Did}&since=yesterday"), 400, "InvalidRequest");
    }

    [Fact]
    public async Task ListBlobs_Since_ListsBlobsReferencedByLaterCommits()
    {
        await using var f = PdsRepoFixture.Start();
        PdsTestAccount a = await f.CreateAccountAsync();
        var revs = new List<string>();
        var blobs = new List<Cid>();
        for (int i = 0; i < 6; i++)
        {
            byte[] gif = [.. "GIF89a"u8, (byte)i, 9, 9, 9];
            JsonElement blob = (await PdsRepoFixture.OkJsonAsync(await f.PostBytesAsync("com.atproto.repo.uploadBlob", gif, "image/gif", a))).GetProperty("blob");
            blobs.Add(Cid.Parse(blob.GetProperty("ref").GetProperty("$link").GetString()!));
            revs.Add(await PostAsync(f, a, $"pic {i}",
                $$$""","embed":{"$type":"app.bsky.embed.images","images":[{"alt":"","image":{{{blob.GetRawText()}}} }]}"""));
        }
        await f.PostBytesAsync("com.atproto.repo.uploadBlob", [.. "GIF89a"u8, 77], "image/gif", a); // never referenced

        async Task<List<Cid>> ListAsync(string? since)
        {
            var seen = new List<Cid>();
            string? cursor = null;
            for (int page = 0; page < 20; page++)
            {
                JsonElement list = await PdsRepoFixture.OkJsonAsync(await f.GetAsync($"com.atproto.sync.listBlobs?did={a.Did}&limit=2"
                    + (since is null ? "" : "&since=" + since) + (cursor is null ? "" : "&cursor=" + cursor)));
                seen.AddRange(list.GetProperty("cids").EnumerateArray().Select(e => Cid.Parse(e.GetString()!)));
                if (!list.TryGetProperty("cursor", out JsonElement next))
                    return seen;
                cursor = next.GetString();
            }
            throw new InvalidOperationException("listBlobs did not end");
        }

        Assert.Equal(blobs.Order().ToList(), await ListAsync(null));
        foreach (int middle in new[] { 0, 2, 5 })
        {
            // Post i (rev i) referenced blob i: since rev m leaves the blobs of posts m+1..
            var expected = blobs.Skip(middle + 1).Order().ToList();
            Assert.Equal(expected, await ListAsync(revs[middle]));
        }
        Assert.Equal(blobs.Order().ToList(), await ListAsync("2222222222222"));
    }
}
