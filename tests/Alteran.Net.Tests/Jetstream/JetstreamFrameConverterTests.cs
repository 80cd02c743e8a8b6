using System.Text.Json;
using Alteran.Net.Jetstream;
using Alteran.Net.Repo;
using Alteran.Net.Tests.Repo;
using Alteran.Storage.Log;

namespace Alteran.Net.Tests.Jetstream;

/// <summary>Firehose frames (as stored) → Jetstream events, including hostile frames.</summary>
public sealed class JetstreamFrameConverterTests
{
    private static async Task<(long Seq, byte[] Frame)> LastFrameAsync(JetstreamFixture f)
    {
        using EventCursor c = f.Store.ReadEvents(f.Store.LastSeq - 1);
        Assert.True(c.MoveNext());
        await Task.CompletedTask;
        return (c.Seq, c.Frame.ToArray());
    }

    [Fact]
    public async Task A_multi_op_commit_becomes_one_event_per_op_with_increasing_time()
    {
        await using var f = new JetstreamFixture();
        TestAccount a = await f.CreateAccountAsync();
        await f.PostAsync(a, "p0");
        await f.Service.ApplyWritesAsync(a.Id, a.Key,
        [
            RepoWriteOp.Create(RepoTestData.Posts, "p1", RepoTestData.Record(RepoTestData.Posts, "one")),
            RepoWriteOp.Create(RepoTestData.Likes, "l1", RepoTestData.Record(RepoTestData.Likes, "two")),
            RepoWriteOp.Delete(RepoTestData.Posts, "p0"),
        ]);
        (long seq, byte[] frame) = await LastFrameAsync(f);
        using var converter = new JetstreamFrameConverter();
        JetstreamBatch batch = converter.Convert(seq, frame, compress: true);
        Assert.Equal(seq, batch.Seq);
        Assert.Equal(3, batch.EventList.Count);
        long last = 0;
        foreach (JetstreamEncodedEvent e in batch.EventList)
        {
            Assert.True(e.TimeUs > last);
            last = e.TimeUs;
            Assert.True(e.HasCompressed);
            using JsonDocument doc = JsonDocument.Parse(e.Json);
            Assert.Equal(a.Did, doc.RootElement.GetProperty("did").GetString());
        }
        Assert.Equal("app.bsky.feed.like", System.Text.Encoding.UTF8.GetString(batch.EventList[1].Collection));
        // The same frame converted again (a replay) right after gives later times, never equal ones.
        JetstreamBatch again = converter.Convert(seq, frame, compress: false);
        Assert.True(again.EventList[0].TimeUs > last);
        Assert.False(again.EventList[0].HasCompressed);
        Assert.Equal(batch.EventList[0].Json.Length, again.EventList[0].Json.Length);
    }

    [Fact]
    public async Task Every_truncation_and_garbage_gives_an_empty_batch_or_fewer_events_never_an_exception()
    {
        await using var f = new JetstreamFixture();
        TestAccount a = await f.CreateAccountAsync();
        await f.PostAsync(a, "p1", new string('x', 300));
        (long seq, byte[] frame) = await LastFrameAsync(f);
        using var converter = new JetstreamFrameConverter();
        Assert.Single(converter.Convert(seq, frame, false).EventList);
        for (int n = 0; n < frame.Length; n++)
            Assert.Empty(converter.Convert(seq, frame.AsMemory(0, n), false).EventList);
        var random = new Random(1234);
        for (int i = 0; i < 200; i++)
        {
            byte[] mutated = (byte[])frame.Clone();
            mutated[random.Next(mutated.Length)] ^= (byte)(1 + random.Next(255));
            JetstreamBatch batch = converter.Convert(seq, mutated, false);
            Assert.InRange(batch.EventList.Count, 0, 1);
        }
        Assert.Empty(converter.Convert(seq, new byte[] { 0xff, 0xff, 0xff }, false).EventList);
        Assert.Empty(converter.Convert(seq, ReadOnlyMemory<byte>.Empty, false).EventList);
    }
}
