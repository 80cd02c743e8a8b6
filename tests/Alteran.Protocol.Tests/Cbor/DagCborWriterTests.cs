using System.Buffers;
using Alteran.Protocol.Cbor;

namespace Alteran.Protocol.Tests.Cbor;

public class DagCborWriterTests
{
    private delegate void WriteAction(ref DagCborWriter w);

    private static byte[] Encode(WriteAction action)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new DagCborWriter(buffer);
        action(ref w);
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    [Theory]
    [InlineData(0L, "00")]
    [InlineData(23L, "17")]
    [InlineData(24L, "1818")]
    [InlineData(255L, "18ff")]
    [InlineData(256L, "190100")]
    [InlineData(65535L, "19ffff")]
    [InlineData(65536L, "1a00010000")]
    [InlineData(4294967295L, "1affffffff")]
    [InlineData(4294967296L, "1b0000000100000000")]
    [InlineData(long.MaxValue, "1b7fffffffffffffff")]
    [InlineData(-1L, "20")]
    [InlineData(-24L, "37")]
    [InlineData(-25L, "3818")]
    [InlineData(-256L, "38ff")]
    [InlineData(-257L, "390100")]
    [InlineData(long.MinValue, "3b7fffffffffffffff")]
    public void Integers_use_the_shortest_form(long value, string hex)
    {
        Assert.Equal(hex, Convert.ToHexStringLower(Encode((ref DagCborWriter w) => w.WriteInt(value))));
    }

    [Fact]
    public void Simple_values_and_headers()
    {
        Assert.Equal("f5f4f6", Convert.ToHexStringLower(Encode((ref DagCborWriter w) => { w.WriteBool(true); w.WriteBool(false); w.WriteNull(); })));
        Assert.Equal("80a0", Convert.ToHexStringLower(Encode((ref DagCborWriter w) => { w.WriteArrayHeader(0); w.WriteMapHeader(0); })));
        Assert.Equal("9818b9012c", Convert.ToHexStringLower(Encode((ref DagCborWriter w) => { w.WriteArrayHeader(24); w.WriteMapHeader(300); })));
    }

    [Fact]
    public void Text_from_chars_and_utf8_agree()
    {
        foreach (int len in new[] { 0, 1, 23, 24, 100, 255, 256, 257, 1000, 70000 })
        {
            string s = string.Create(len, len, static (span, l) =>
            {
                for (int i = 0; i < span.Length; i++)
                    span[i] = (i % 7) switch { 0 => 'é', 1 => '€', _ => (char)('a' + i % 26) };
            });
            byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(s);
            byte[] a = Encode((ref DagCborWriter w) => w.WriteText(s.AsSpan()));
            byte[] b = Encode((ref DagCborWriter w) => w.WriteText(utf8));
            Assert.Equal(a, b);
            int h = DagCborWriter.HeaderLength((ulong)utf8.Length);
            Assert.Equal(h + utf8.Length, a.Length);
            Assert.Equal(utf8, a[h..]);
            Assert.Equal(0x60, a[0] & 0xe0);
        }
    }

    [Fact]
    public void Text_with_an_unpaired_surrogate_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Encode((ref DagCborWriter w) => w.WriteText("a\ud800b".AsSpan())));
        Assert.Throws<ArgumentException>(() => Encode((ref DagCborWriter w) => w.WriteText(new string('x', 300) + "\udc00")));
        Assert.Throws<ArgumentException>(() => Encode((ref DagCborWriter w) => w.WriteText(new byte[] { 0xc3, 0x28 })));
    }

    [Fact]
    public void Cid_is_tag_42_with_multibase_prefix()
    {
        var cid = Cid.ForDagCbor("hello"u8);
        byte[] bytes = Encode((ref DagCborWriter w) => w.WriteCid(cid));
        Assert.Equal(DagCborWriter.CidTokenLength, bytes.Length);
        Assert.Equal("d82a582500", Convert.ToHexStringLower(bytes[..5]));
        Assert.Equal(cid.ToBytes(), bytes[5..]);
    }

    [Fact]
    public void Canonical_key_order_is_length_first()
    {
        Assert.True(DagCborKeyOrder.Compare("z"u8, "aa"u8) < 0);
        Assert.True(DagCborKeyOrder.Compare("ab"u8, "aa"u8) > 0);
        Assert.Equal(0, DagCborKeyOrder.Compare("ab"u8, "ab"u8));
        var keys = new List<string> { "bb", "a", "\uffff", "\U0001F600", "c", "aa" };
        keys.Sort(DagCborKeyOrder.StringComparer);
        // U+FFFF is 3 UTF-8 bytes, U+1F600 is 4: length decides, unlike UTF-16 ordinal order.
        Assert.Equal(new[] { "a", "c", "aa", "bb", "\uffff", "\U0001F600" }, keys);
    }

    [Fact]
    public void Output_split_over_tiny_segments_is_identical()
    {
        byte[] big = new byte[5000];
        new Random(1).NextBytes(big);
        var cid = Cid.ForRaw(big);
        WriteAction write = (ref DagCborWriter w) =>
        {
            w.WriteMapHeader(3);
            w.WriteText("a"u8);
            w.WriteBytes(big);
            w.WriteText("b"u8);
            w.WriteCid(cid);
            w.WriteText("c"u8);
            w.WriteText(new string('q', 2000).AsSpan());
        };
        byte[] expected = Encode(write);
        var small = new SmallSegmentWriter();
        var w2 = new DagCborWriter(small);
        write(ref w2);
        w2.Flush();
        Assert.Equal(expected, small.ToArray());
        Assert.Equal(expected.Length, w2.BytesWritten);
    }

    /// <summary>An IBufferWriter that hands out spans of exactly the requested size (minimum 1), to exercise refills.</summary>
    private sealed class SmallSegmentWriter : IBufferWriter<byte>
    {
        private readonly List<byte> _data = new();
        private byte[] _current = [];

        public void Advance(int count) => _data.AddRange(_current.AsSpan(0, count));

        public Memory<byte> GetMemory(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, 1)];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public byte[] ToArray() => _data.ToArray();
    }
}
