using System.Buffers;
using System.Text;
using System.Text.Json;
using Alteran.Net.Jetstream;
using Alteran.Protocol;
using static Alteran.Net.Tests.Jetstream.JetstreamTestData;

namespace Alteran.Net.Tests.Jetstream;

public sealed class JetstreamEventWriterTests
{
    [Fact]
    public void CommitCreate_MatchesJetstreamShape()
    {
        (byte[] block, Cid cid) = Record(PostJson);
        using var encoder = new JetstreamEncoder();
        string json = Utf8(encoder.EncodeCommit(new JetstreamCommit
        {
            Did = Did, TimeUs = TimeUs, Rev = Rev, Operation = JetstreamOperation.Create,
            Collection = "app.bsky.feed.post", RecordKey = RecordKey, Record = block, Cid = cid,
        }));
        string expected =
            "{\"did\":\"did:plc:ewvi7nxzyoun6zhxrhs64oiz\",\"time_us\":1725911162329308,\"kind\":\"commit\"," +
            "\"commit\":{\"rev\":\"3l3qo2vutsw2b\",\"operation\":\"create\",\"collection\":\"app.bsky.feed.post\"," +
            "\"rkey\":\"3l3qo2vuowo2b\",\"record\":" + PostRecordOut + ",\"cid\":\"" + cid + "\"}}";
        Assert.Equal(expected, json);
    }

    [Fact]
    public void CommitUpdate_WithLink_MatchesJetstreamShape()
    {
        (byte[] block, Cid cid) = Record(LikeJson);
        using var encoder = new JetstreamEncoder();
        string json = Utf8(encoder.EncodeCommit(new JetstreamCommit
        {
            Did = Did, TimeUs = 42, Rev = Rev, Operation = JetstreamOperation.Update,
            Collection = "app.bsky.feed.like", RecordKey = "self", Record = block, Cid = cid,
        }));
        // The subject CID is a plain string in the lexicon, so it stays a string (not a $link).
        string expected =
            "{\"did\":\"did:plc:ewvi7nxzyoun6zhxrhs64oiz\",\"time_us\":42,\"kind\":\"commit\"," +
            "\"commit\":{\"rev\":\"3l3qo2vutsw2b\",\"operation\":\"update\",\"collection\":\"app.bsky.feed.like\"," +
            "\"rkey\":\"self\",\"record\":{\"$type\":\"app.bsky.feed.like\",\"subject\":{\"cid\":\"bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a\"," +
            "\"uri\":\"at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3l3qo2vuowo2b\"},\"createdAt\":\"2024-09-09T19:46:02.102Z\"}," +
            "\"cid\":\"" + cid + "\"}}";
        Assert.Equal(expected, json);
    }

    [Fact]
    public void Record_LinksAndBytes_UseAtprotoJsonForm()
    {
        const string recordJson =
            """{"$type":"x.y.z","blob":{"$type":"blob","ref":{"$link":"bafkreibme22gw2h7y2h7tg2fhqotaqjucnbc24deqo72b6mkl2egezxhvy"},"mimeType":"image/png","size":1234},"raw":{"$bytes":"AQID+/8"}}""";
        (byte[] block, Cid cid) = Record(recordJson);
        using var encoder = new JetstreamEncoder();
        using JsonDocument doc = JsonDocument.Parse(encoder.EncodeCommit(new JetstreamCommit
        {
            Did = Did, TimeUs = 1, Rev = Rev, Operation = JetstreamOperation.Create,
            Collection = "x.y.z", RecordKey = "k", Record = block, Cid = cid,
        }).ToArray());
        JsonElement record = doc.RootElement.GetProperty("commit").GetProperty("record");
        Assert.Equal("bafkreibme22gw2h7y2h7tg2fhqotaqjucnbc24deqo72b6mkl2egezxhvy",
            record.GetProperty("blob").GetProperty("ref").GetProperty("$link").GetString());
        Assert.Equal("AQID+/8", record.GetProperty("raw").GetProperty("$bytes").GetString());
        Assert.Equal(1234, record.GetProperty("blob").GetProperty("size").GetInt32());
    }

    [Fact]
    public void CommitDelete_HasNoRecordOrCid()
    {
        (byte[] block, Cid cid) = Record(PostJson);
        using var encoder = new JetstreamEncoder();
        // Even if given, a delete's record and CID are not written.
        string json = Utf8(encoder.EncodeCommit(new JetstreamCommit
        {
            Did = Did, TimeUs = TimeUs, Rev = Rev, Operation = JetstreamOperation.Delete,
            Collection = "app.bsky.graph.follow", RecordKey = RecordKey, Record = block, Cid = cid,
        }));
        Assert.Equal(
            "{\"did\":\"did:plc:ewvi7nxzyoun6zhxrhs64oiz\",\"time_us\":1725911162329308,\"kind\":\"commit\"," +
            "\"commit\":{\"rev\":\"3l3qo2vutsw2b\",\"operation\":\"delete\",\"collection\":\"app.bsky.graph.follow\",\"rkey\":\"3l3qo2vuowo2b\"}}",
            json);
    }

    [Fact]
    public void Identity_WithAndWithoutHandle()
    {
        using var encoder = new JetstreamEncoder();
        Assert.Equal(
            "{\"did\":\"did:plc:ewvi7nxzyoun6zhxrhs64oiz\",\"time_us\":1725911162329308,\"kind\":\"identity\"," +
            "\"identity\":{\"did\":\"did:plc:ewvi7nxzyoun6zhxrhs64oiz\",\"handle\":\"alice.example.com\",\"seq\":1409752997,\"time\":\"2024-09-05T06:11:04.870Z\"}}",
            Utf8(encoder.EncodeIdentity(new JetstreamIdentity
            {
                Did = Did, TimeUs = TimeUs, Handle = "alice.example.com", Seq = 1409752997, Time = "2024-09-05T06:11:04.870Z",
            })));
        Assert.Equal(
            "{\"did\":\"did:plc:ewvi7nxzyoun6zhxrhs64oiz\",\"time_us\":7,\"kind\":\"identity\"," +
            "\"identity\":{\"did\":\"did:plc:ewvi7nxzyoun6zhxrhs64oiz\",\"seq\":8,\"time\":\"2024-09-05T06:11:04.870Z\"}}",
            Utf8(encoder.EncodeIdentity(new JetstreamIdentity { Did = Did, TimeUs = 7, Seq = 8, Time = "2024-09-05T06:11:04.870Z" })));
    }

    [Fact]
    public void Account_ActiveAndInactiveWithStatus()
    {
        using var encoder = new JetstreamEncoder();
        Assert.Equal(
            "{\"did\":\"did:plc:ewvi7nxzyoun6zhxrhs64oiz\",\"time_us\":1725516665333808,\"kind\":\"account\"," +
            "\"account\":{\"active\":true,\"did\":\"did:plc:ewvi7nxzyoun6zhxrhs64oiz\",\"seq\":1409753013,\"time\":\"2024-09-05T06:11:04.870Z\"}}",
            Utf8(encoder.EncodeAccount(new JetstreamAccount
            {
                Did = Did, TimeUs = 1725516665333808, Active = true, Seq = 1409753013, Time = "2024-09-05T06:11:04.870Z",
            })));
        Assert.Equal(
            "{\"did\":\"did:plc:ewvi7nxzyoun6zhxrhs64oiz\",\"time_us\":5,\"kind\":\"account\"," +
            "\"account\":{\"active\":false,\"did\":\"did:plc:ewvi7nxzyoun6zhxrhs64oiz\",\"seq\":6,\"status\":\"takendown\",\"time\":\"2024-09-05T06:11:04.870Z\"}}",
            Utf8(encoder.EncodeAccount(new JetstreamAccount
            {
                Did = Did, TimeUs = 5, Active = false, Status = "takendown", Seq = 6, Time = "2024-09-05T06:11:04.870Z",
            })));
    }

    [Fact]
    public void Output_IsValidJsonWhateverTheText()
    {
        // Control characters, quotes, backslashes, lone-surrogate-free non-BMP text: all must yield valid JSON.
        string text = "a\"b\\c\n\t\u0001\u007f😀 \u2028 </script>";
        (byte[] block, Cid cid) = Record("{\"text\":\"" + JsonEncodedText.Encode(text).Value + "\"}");
        using var encoder = new JetstreamEncoder();
        byte[] json = encoder.EncodeCommit(new JetstreamCommit
        {
            Did = Did, TimeUs = 1, Rev = Rev, Operation = JetstreamOperation.Create,
            Collection = "a.b.c", RecordKey = "k", Record = block, Cid = cid,
        }).ToArray();
        using JsonDocument doc = JsonDocument.Parse(json);
        Assert.Equal(text, doc.RootElement.GetProperty("commit").GetProperty("record").GetProperty("text").GetString());
        // Non-ASCII text stays raw UTF-8 (smaller than \u escapes).
        Assert.True(json.AsSpan().IndexOf("😀"u8) >= 0);
    }

    [Fact]
    public void MalformedRecord_Throws_AndLeavesNoTrace()
    {
        (byte[] block, Cid cid) = Record(PostJson);
        using var encoder = new JetstreamEncoder();
        var output = new ArrayBufferWriter<byte>();
        for (int cut = 0; cut < block.Length; cut++)
        {
            byte[] truncated = block[..cut];
            Assert.ThrowsAny<Exception>(() => encoder.EncodeCommit(Commit(truncated, cid), output));
            Assert.Equal(0, output.WrittenCount);
        }
        Assert.ThrowsAny<FormatException>(() => encoder.EncodeCommit(Commit([.. block, 0x00], cid), output));
        Assert.Equal(0, output.WrittenCount);

        // The encoder is reusable after failures and produces exactly the clean event.
        encoder.EncodeCommit(Commit(block, cid), output);
        using var fresh = new JetstreamEncoder();
        Assert.Equal(fresh.EncodeCommit(Commit(block, cid)).ToArray(), output.WrittenSpan.ToArray());

        static JetstreamCommit Commit(byte[] record, Cid cid) => new()
        {
            Did = Did, TimeUs = 1, Rev = Rev, Operation = JetstreamOperation.Create,
            Collection = "app.bsky.feed.post", RecordKey = RecordKey, Record = record, Cid = cid,
        };
    }

    [Fact]
    public void DeeplyNestedRecord_IsRejectedNotOverflowed()
    {
        // 10,000 nested one-element arrays: the CBOR reader's depth limit must stop it.
        byte[] block = new byte[10_001];
        block.AsSpan(0, 10_000).Fill(0x81);
        block[^1] = 0x01;
        using var encoder = new JetstreamEncoder();
        Assert.ThrowsAny<FormatException>(() => encoder.EncodeCommit(new JetstreamCommit
        {
            Did = Did, TimeUs = 1, Rev = Rev, Operation = JetstreamOperation.Create,
            Collection = "a.b.c", RecordKey = "k", Record = block, Cid = Cid.ForDagCbor(block),
        }));
    }

    [Fact]
    public void CreateWithoutRecord_Throws()
    {
        using var encoder = new JetstreamEncoder();
        Assert.Throws<ArgumentException>(() => encoder.EncodeCommit(new JetstreamCommit
        {
            Did = Did, TimeUs = 1, Rev = Rev, Operation = JetstreamOperation.Create, Collection = "a.b.c", RecordKey = "k",
        }));
    }

    [Fact]
    public void EncodeCommit_AllocatesNothingWhenWarm()
    {
        (byte[] block, Cid cid) = Record(PostJson);
        using var encoder = new JetstreamEncoder();
        int length = Encode(encoder, block, cid);
        long total = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
            total += Encode(encoder, block, cid);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(100L * length, total);

        static int Encode(JetstreamEncoder encoder, byte[] block, Cid cid) => encoder.EncodeCommit(new JetstreamCommit
        {
            Did = Did, TimeUs = TimeUs, Rev = Rev, Operation = JetstreamOperation.Create,
            Collection = "app.bsky.feed.post", RecordKey = RecordKey, Record = block, Cid = cid,
        }).Length;
    }

    [Fact]
    public void HugeRecord_ThenSmall_StillCorrect()
    {
        string big = new('x', 2_000_000);
        (byte[] bigBlock, Cid bigCid) = Record("{\"text\":\"" + big + "\"}");
        (byte[] block, Cid cid) = Record(PostJson);
        using var encoder = new JetstreamEncoder();
        Assert.True(encoder.EncodeCommit(Commit(bigBlock, bigCid)).Length > 2_000_000);
        using var fresh = new JetstreamEncoder();
        Assert.Equal(fresh.EncodeCommit(Commit(block, cid)).ToArray(), encoder.EncodeCommit(Commit(block, cid)).ToArray());

        static JetstreamCommit Commit(byte[] record, Cid cid) => new()
        {
            Did = Did, TimeUs = 1, Rev = Rev, Operation = JetstreamOperation.Create,
            Collection = "a.b.c", RecordKey = "k", Record = record, Cid = cid,
        };
    }

    [Fact]
    public void EncodedEvent_CarriesJsonDidAndCollection()
    {
        (byte[] block, Cid cid) = Record(PostJson);
        using var encoder = new JetstreamEncoder();
        JetstreamEncodedEvent commit = encoder.CreateCommitEvent(new JetstreamCommit
        {
            Did = Did, TimeUs = TimeUs, Rev = Rev, Operation = JetstreamOperation.Create,
            Collection = "app.bsky.feed.post", RecordKey = RecordKey, Record = block, Cid = cid,
        }, compress: false);
        Assert.Equal(JetstreamEventKind.Commit, commit.Kind);
        Assert.Equal(TimeUs, commit.TimeUs);
        Assert.Equal(Did, Utf8(commit.Did));
        Assert.Equal("app.bsky.feed.post", Utf8(commit.Collection));
        Assert.StartsWith("{\"did\":\"" + Did + "\"", Utf8(commit.Json.Span));
        Assert.False(commit.HasCompressed);
        Assert.Throws<InvalidOperationException>(() => commit.GetPayload(compressed: true));
        Assert.Equal(commit.Json, commit.GetPayload(compressed: false));

        JetstreamEncodedEvent account = encoder.CreateAccountEvent(new JetstreamAccount
        {
            Did = Did, TimeUs = 3, Active = true, Seq = 1, Time = "2024-09-05T06:11:04.870Z",
        }, compress: true);
        Assert.Equal(JetstreamEventKind.Account, account.Kind);
        Assert.True(account.Collection.IsEmpty);
        Assert.True(account.HasCompressed);
        Assert.Equal(account.Compressed, account.GetPayload(compressed: true));

        // The event's bytes are its own: later encodes don't change them.
        string before = Utf8(commit.Json.Span);
        encoder.EncodeIdentity(new JetstreamIdentity { Did = "did:web:example.com", TimeUs = 9, Seq = 9, Time = "t" });
        Assert.Equal(before, Utf8(commit.Json.Span));
    }
}
