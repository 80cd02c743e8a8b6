using System.Buffers;
using Alteran.Net.Jetstream;
using Alteran.Protocol;
using ZstdSharp;
using static Alteran.Net.Tests.Jetstream.JetstreamTestData;

namespace Alteran.Net.Tests.Jetstream;

public sealed class JetstreamCompressorTests
{
    private static readonly string FixturePath = Path.Combine(AppContext.BaseDirectory, "fixtures", "jetstream", "legacy_subscribe.zdict");

    // What clients (FishyFlip, idunno.Bluesky) do: their own decompressor loaded with their copy of the dictionary.
    private static byte[] ClientDecompress(ReadOnlySpan<byte> frame)
    {
        using var decompressor = new Decompressor();
        decompressor.LoadDictionary(File.ReadAllBytes(FixturePath));
        return decompressor.Unwrap(frame).ToArray();
    }

    private static byte[] PostEvent(JetstreamEncoder encoder, long timeUs = TimeUs)
    {
        (byte[] block, Cid cid) = Record(PostJson);
        return encoder.EncodeCommit(new JetstreamCommit
        {
            Did = Did, TimeUs = timeUs, Rev = Rev, Operation = JetstreamOperation.Create,
            Collection = "app.bsky.feed.post", RecordKey = RecordKey, Record = block, Cid = cid,
        }).ToArray();
    }

    [Fact]
    public void EmbeddedDictionary_IsTheFixture()
    {
        Assert.Equal(File.ReadAllBytes(FixturePath), JetstreamDictionary.Legacy.ToArray());
        Assert.Equal(112_640, JetstreamDictionary.Legacy.Length);
    }

    [Fact]
    public void RoundTrip_WithIndependentClientDecompressor()
    {
        using var encoder = new JetstreamEncoder();
        using var compressor = new JetstreamCompressor();
        byte[] json = PostEvent(encoder);
        byte[] frame = compressor.Compress(json);
        Assert.True(frame.Length < json.Length);
        Assert.Equal(json, ClientDecompress(frame));

        // Without the dictionary the frame cannot be decoded: the dictionary really is in use.
        using var plain = new Decompressor();
        Assert.ThrowsAny<Exception>(() => plain.Unwrap(frame));
    }

    [Fact]
    public void EachFrameStandsAlone()
    {
        using var encoder = new JetstreamEncoder();
        using var compressor = new JetstreamCompressor();
        var frames = new List<(byte[] Json, byte[] Frame)>();
        for (int i = 0; i < 20; i++)
        {
            byte[] json = PostEvent(encoder, TimeUs + i);
            frames.Add((json, compressor.Compress(json)));
        }
        // Decoded in reverse and individually: no frame depends on an earlier one.
        for (int i = frames.Count - 1; i >= 0; i--)
            Assert.Equal(frames[i].Json, ClientDecompress(frames[i].Frame));
    }

    [Fact]
    public void DictionaryBeatsPlainZstd()
    {
        using var encoder = new JetstreamEncoder();
        using var compressor = new JetstreamCompressor();
        byte[] json = PostEvent(encoder);
        using var plain = new Compressor(JetstreamCompressor.DefaultLevel);
        Assert.True(compressor.Compress(json).Length < plain.Wrap(json).Length);
    }

    [Fact]
    public void SpanAndBufferWriterOverloads_Agree()
    {
        using var encoder = new JetstreamEncoder();
        using var compressor = new JetstreamCompressor();
        byte[] json = PostEvent(encoder);
        byte[] frame = compressor.Compress(json);

        byte[] destination = new byte[JetstreamCompressor.GetMaxCompressedLength(json.Length)];
        int written = compressor.Compress(json, destination);
        Assert.Equal(frame, destination[..written]);

        var output = new ArrayBufferWriter<byte>();
        output.Write("prefix"u8);
        compressor.Compress(json, output);
        Assert.Equal(frame, output.WrittenSpan[6..].ToArray());

        Assert.Throws<ArgumentException>(() => compressor.Compress(json, new byte[10]));
    }

    [Fact]
    public void EmptyAndLargeInputs_RoundTrip()
    {
        using var compressor = new JetstreamCompressor();
        Assert.Empty(ClientDecompress(compressor.Compress([])));
        byte[] large = new byte[3_000_000];
        new Random(7).NextBytes(large.AsSpan(0, 1_000_000)); // incompressible part, then zeros
        Assert.Equal(large, ClientDecompress(compressor.Compress(large)));
        byte[] small = PostEvent(new JetstreamEncoder());
        Assert.Equal(small, ClientDecompress(compressor.Compress(small)));
    }

    [Fact]
    public void EncodedEvent_CompressesOnceForAll()
    {
        using var encoder = new JetstreamEncoder();
        (byte[] block, Cid cid) = Record(PostJson);
        JetstreamEncodedEvent evt = encoder.CreateCommitEvent(new JetstreamCommit
        {
            Did = Did, TimeUs = TimeUs, Rev = Rev, Operation = JetstreamOperation.Create,
            Collection = "app.bsky.feed.post", RecordKey = RecordKey, Record = block, Cid = cid,
        }, compress: true);
        Assert.Equal(evt.Json.ToArray(), ClientDecompress(evt.Compressed.Span));
        // Every subscriber gets the same bytes, not a copy.
        Assert.True(evt.GetPayload(true).Span == evt.GetPayload(true).Span);

        JetstreamEncodedEvent identity = encoder.CreateIdentityEvent(new JetstreamIdentity
        {
            Did = Did, TimeUs = 2, Handle = "alice.test", Seq = 3, Time = "2024-09-05T06:11:04.870Z",
        }, compress: true);
        Assert.Equal(identity.Json.ToArray(), ClientDecompress(identity.Compressed.Span));
    }

    [Fact]
    public void LevelOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new JetstreamCompressor(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new JetstreamCompressor(23));
        var disposed = new JetstreamCompressor();
        disposed.Dispose();
        disposed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => disposed.Compress("{}"u8));
    }
}
