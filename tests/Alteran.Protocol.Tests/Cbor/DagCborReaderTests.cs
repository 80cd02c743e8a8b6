using Alteran.Protocol.Cbor;
using static Alteran.Protocol.Tests.Cbor.CborTestValues;

namespace Alteran.Protocol.Tests.Cbor;

public class DagCborReaderTests
{
    private static DagCborError Reject(string hex, DagCborLimits limits = default) => Reject(Convert.FromHexString(hex), limits);

    private static DagCborError Reject(byte[] data, DagCborLimits limits = default)
    {
        var e = Assert.Throws<DagCborException>(() => DagCbor.Validate(data, limits));
        Assert.False(DagCbor.IsValid(data, limits));
        return e.Error;
    }

    private static readonly Cid SampleCid = Cid.ForDagCbor("sample"u8);

    private static string CidHex(Cid cid) => "d82a582500" + Convert.ToHexStringLower(cid.ToBytes());

    [Fact]
    public void Reads_a_record_like_map()
    {
        var map = NewMap();
        map["text"] = "hello";
        map["$type"] = "app.bsky.feed.post";
        map["createdAt"] = "2024-01-01T00:00:00.000Z";
        map["langs"] = new List<object> { "en", "fr" };
        map["n"] = -5L;
        map["link"] = SampleCid;
        map["ok"] = true;
        map["nil"] = CborNull.Value;
        map["raw"] = new byte[] { 1, 2, 3 };
        byte[] data = Encode(map);
        DagCbor.Validate(data);
        object back = Decode(data);
        Assert.True(DeepEquals(map, back));
        Assert.Equal(data, Encode(back));

        var r = new DagCborReader(data);
        Assert.Equal(CborKind.Map, r.PeekKind());
        Assert.Equal(9, r.ReadMapHeader());
        Assert.True(r.IsAtMapKey);
        Assert.Equal("n"u8.ToArray(), r.ReadMapKey().ToArray());
        Assert.Equal(-5, r.ReadInt());
        Assert.Equal("ok", r.ReadTextString()); // ReadText at a key position reads the key
        Assert.True(r.ReadBool());
        Assert.Equal("nil"u8.ToArray(), r.ReadMapKey().ToArray());
        Assert.False(r.IsAtMapKey);
        Assert.True(r.TryReadNull());
        r.ReadMapKey(); // raw
        Assert.Equal(new byte[] { 1, 2, 3 }, r.ReadBytes().ToArray());
        r.ReadMapKey(); // link
        Assert.Equal(SampleCid, r.ReadCid());
        r.ReadMapKey(); // text
        Assert.False(r.TryReadNull());
        Assert.Equal("hello", r.ReadTextString());
        r.ReadMapKey(); // $type
        r.SkipValue();
        r.ReadMapKey(); // langs
        ReadOnlySpan<byte> langs = r.ReadEncodedValue();
        Assert.Equal("8262656e626672", Convert.ToHexStringLower(langs));
        r.ReadMapKey(); // createdAt
        r.SkipValue();
        Assert.True(r.IsAtEnd);
        Assert.Equal(0, r.Depth);
        r.EnsureEnd();
        Assert.Equal(data.Length, r.BytesConsumed);
    }

    [Theory]
    [InlineData("1b7fffffffffffffff", long.MaxValue)]
    [InlineData("3b7fffffffffffffff", long.MinValue)]
    [InlineData("3818", -25L)]
    [InlineData("1a00010000", 65536L)]
    public void Reads_integer_extremes(string hex, long expected)
    {
        var r = new DagCborReader(Convert.FromHexString(hex));
        Assert.Equal(expected, r.ReadInt());
        r.EnsureEnd();
    }

    [Theory]
    // Non-minimal integers and lengths.
    [InlineData("1800", DagCborError.NonMinimalEncoding)]
    [InlineData("1817", DagCborError.NonMinimalEncoding)]
    [InlineData("1900ff", DagCborError.NonMinimalEncoding)]
    [InlineData("1a0000ffff", DagCborError.NonMinimalEncoding)]
    [InlineData("1b00000000ffffffff", DagCborError.NonMinimalEncoding)]
    [InlineData("3800", DagCborError.NonMinimalEncoding)]
    [InlineData("5801ff", DagCborError.NonMinimalEncoding)]
    [InlineData("780161", DagCborError.NonMinimalEncoding)]
    [InlineData("9800", DagCborError.NonMinimalEncoding)]
    [InlineData("b800", DagCborError.NonMinimalEncoding)]
    // Indefinite lengths and stray break.
    [InlineData("5fff", DagCborError.IndefiniteLength)]
    [InlineData("7fff", DagCborError.IndefiniteLength)]
    [InlineData("9fff", DagCborError.IndefiniteLength)]
    [InlineData("bfff", DagCborError.IndefiniteLength)]
    [InlineData("ff", DagCborError.IndefiniteLength)]
    [InlineData("1f", DagCborError.ReservedAdditionalInfo)]
    [InlineData("1c", DagCborError.ReservedAdditionalInfo)]
    [InlineData("5d", DagCborError.ReservedAdditionalInfo)]
    // Floats, undefined, other simple values.
    [InlineData("f90000", DagCborError.Float)]
    [InlineData("fa3f800000", DagCborError.Float)]
    [InlineData("fb3ff0000000000000", DagCborError.Float)]
    [InlineData("f7", DagCborError.UnsupportedSimpleValue)]
    [InlineData("e0", DagCborError.UnsupportedSimpleValue)]
    [InlineData("f0", DagCborError.UnsupportedSimpleValue)]
    [InlineData("f820", DagCborError.UnsupportedSimpleValue)]
    [InlineData("fc", DagCborError.ReservedAdditionalInfo)]
    // Tags other than 42, non-minimal tag 42.
    [InlineData("c074323031332d30332d32315432303a30343a30305a", DagCborError.UnsupportedTag)]
    [InlineData("c11a514b67b0", DagCborError.UnsupportedTag)]
    [InlineData("d82b00", DagCborError.UnsupportedTag)]
    [InlineData("d81700", DagCborError.NonMinimalEncoding)]
    [InlineData("d81800", DagCborError.UnsupportedTag)]
    // Integers outside int64.
    [InlineData("1b8000000000000000", DagCborError.IntegerOverflow)]
    [InlineData("3b8000000000000000", DagCborError.IntegerOverflow)]
    [InlineData("3bffffffffffffffff", DagCborError.IntegerOverflow)]
    // Map keys.
    [InlineData("a10101", DagCborError.NonTextMapKey)]
    [InlineData("a1410101", DagCborError.NonTextMapKey)]
    [InlineData("a1f601", DagCborError.NonTextMapKey)]
    [InlineData("a1800101", DagCborError.NonTextMapKey)]
    [InlineData("a2616201616101", DagCborError.UnsortedMapKeys)]
    [InlineData("a262616101617a01", DagCborError.UnsortedMapKeys)] // "aa" before "z": length-first says z first
    [InlineData("a2616101616101", DagCborError.DuplicateMapKey)]
    // Invalid UTF-8.
    [InlineData("62c328", DagCborError.InvalidUtf8)]
    [InlineData("61ff", DagCborError.InvalidUtf8)]
    [InlineData("63eda080", DagCborError.InvalidUtf8)] // encoded surrogate
    [InlineData("62c0af", DagCborError.InvalidUtf8)]   // overlong
    // Trailing bytes, truncation.
    [InlineData("0000", DagCborError.TrailingBytes)]
    [InlineData("", DagCborError.Truncated)]
    [InlineData("8201", DagCborError.Truncated)]
    [InlineData("6261", DagCborError.Truncated)]
    public void Rejects_non_canonical_and_invalid_input(string hex, DagCborError expected)
    {
        Assert.Equal(expected, Reject(hex));
    }

    [Fact]
    public void Long_cid_tag_is_rejected()
    {
        string good = CidHex(SampleCid);
        DagCbor.Validate(Convert.FromHexString(good));
        Assert.Equal(DagCborError.NonMinimalEncoding, Reject("d9002a" + good[4..]));
        Assert.Equal(DagCborError.NonMinimalEncoding, Reject("da0000002a" + good[4..]));
        Assert.Equal(DagCborError.NonMinimalEncoding, Reject("db000000000000002a" + good[4..]));
    }

    [Fact]
    public void Invalid_cid_contents_are_rejected()
    {
        byte[] bin = SampleCid.ToBytes();
        string binHex = Convert.ToHexStringLower(bin);
        // Missing 0x00 multibase prefix.
        Assert.Equal(DagCborError.InvalidCid, Reject("d82a5824" + binHex));
        // Wrong prefix byte.
        Assert.Equal(DagCborError.InvalidCid, Reject("d82a582501" + binHex));
        // Text instead of bytes; integer; nothing.
        Assert.Equal(DagCborError.InvalidCid, Reject("d82a6161"));
        Assert.Equal(DagCborError.InvalidCid, Reject("d82a00"));
        Assert.Equal(DagCborError.Truncated, Reject("d82a"));
        // Single zero byte, truncated digest, extra byte.
        Assert.Equal(DagCborError.InvalidCid, Reject("d82a4100"));
        Assert.Equal(DagCborError.InvalidCid, Reject("d82a582400" + binHex[..^2]));
        Assert.Equal(DagCborError.InvalidCid, Reject("d82a582600" + binHex + "00"));
        // CIDv0, dag-pb codec, non-sha256, wrong digest length.
        Assert.Equal(DagCborError.InvalidCid, Reject("d82a582300" + "1220" + binHex[8..]));
        Assert.Equal(DagCborError.InvalidCid, Reject("d82a582500" + "0170" + binHex[4..]));
        Assert.Equal(DagCborError.InvalidCid, Reject("d82a582500" + "0171" + "13" + binHex[6..]));
        Assert.Equal(DagCborError.InvalidCid, Reject("d82a582500" + "017112" + "1f" + binHex[8..]));
        // Non-minimal byte string length inside the tag.
        Assert.Equal(DagCborError.NonMinimalEncoding, Reject("d82a59002500" + binHex));
        // Raw codec is blessed (blobs).
        DagCbor.Validate(Convert.FromHexString(CidHex(Cid.ForRaw("x"u8))));
    }

    [Fact]
    public void Every_prefix_of_a_valid_encoding_is_rejected_as_truncated()
    {
        var rng = new Random(7);
        for (int n = 0; n < 50; n++)
        {
            byte[] data = Encode(RandomValue(rng, 4));
            DagCbor.Validate(data);
            for (int i = 0; i < data.Length; i++)
            {
                var e = Assert.Throws<DagCborException>(() => DagCbor.Validate(data.AsSpan(0, i)));
                Assert.Equal(DagCborError.Truncated, e.Error);
            }
        }
    }

    [Theory]
    [InlineData(0x81)]
    [InlineData(0x9f)]
    [InlineData(0xd8)]
    public void Nesting_bombs_are_rejected_without_stack_overflow(byte b)
    {
        byte[] bomb = new byte[100_000];
        bomb.AsSpan().Fill(b);
        if (b == 0xd8)
        {
            // Tag chain: d8 2a d8 2a ...
            for (int i = 1; i < bomb.Length; i += 2)
                bomb[i] = 0x2a;
        }
        var error = Reject(bomb);
        Assert.Equal(b switch { 0x81 => DagCborError.DepthExceeded, 0x9f => DagCborError.IndefiniteLength, _ => DagCborError.InvalidCid }, error);
    }

    [Fact]
    public void Map_nesting_bomb_is_rejected()
    {
        // {"a": {"a": {"a": ...}}}
        byte[] bomb = new byte[3 * 100_000];
        for (int i = 0; i < bomb.Length; i += 3)
        {
            bomb[i] = 0xa1;
            bomb[i + 1] = 0x61;
            bomb[i + 2] = 0x61;
        }
        Assert.Equal(DagCborError.DepthExceeded, Reject(bomb));
        // Also through the pull API: SkipValue and CollectBlobRefs.
        Assert.Throws<DagCborException>(() => DagCbor.CollectBlobRefs(bomb, new List<Cid>()));
    }

    [Fact]
    public void Depth_limit_is_exact()
    {
        byte[] Nest(int depth)
        {
            var b = new byte[depth + 1];
            b.AsSpan(0, depth).Fill(0x81);
            b[depth] = 0x00;
            return b;
        }
        DagCbor.Validate(Nest(DagCborLimits.DefaultMaxDepth));
        Assert.Equal(DagCborError.DepthExceeded, Reject(Nest(DagCborLimits.DefaultMaxDepth + 1)));
        var limits = new DagCborLimits { MaxDepth = 3 };
        DagCbor.Validate(Nest(3), limits);
        Assert.Equal(DagCborError.DepthExceeded, Reject(Nest(4), limits));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DagCborLimits { MaxDepth = DagCborLimits.HardMaxDepth + 1 });
    }

    [Theory]
    [InlineData("5bffffffffffffffff", DagCborError.StringTooLong)]
    [InlineData("7bffffffffffffffff", DagCborError.StringTooLong)]
    [InlineData("5a7fffffff", DagCborError.StringTooLong)]
    [InlineData("5a00100000", DagCborError.Truncated)] // 1 MiB declared, within limits, not present
    [InlineData("9bffffffffffffffff", DagCborError.CollectionTooLarge)]
    [InlineData("bbffffffffffffffff", DagCborError.CollectionTooLarge)]
    [InlineData("9a00010000", DagCborError.Truncated)]
    [InlineData("b90100", DagCborError.Truncated)]
    public void Huge_declared_lengths_are_rejected_without_allocation(string hex, DagCborError expected)
    {
        byte[] data = Convert.FromHexString(hex);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var r = new DagCborReader(data);
        DagCborError error = default;
        try
        {
            r.SkipValue();
        }
        catch (DagCborException e)
        {
            error = e.Error;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(expected, error);
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Item_and_collection_limits_apply()
    {
        byte[] data = Encode(new List<object> { 1L, 2L, 3L, 4L });
        DagCbor.Validate(data, new DagCborLimits { MaxItems = 5 });
        Assert.Equal(DagCborError.TooManyItems, Reject(data, new DagCborLimits { MaxItems = 4 }));
        Assert.Equal(DagCborError.CollectionTooLarge, Reject(data, new DagCborLimits { MaxCollectionLength = 3 }));
        Assert.Equal(DagCborError.StringTooLong, Reject(Encode("abcd"), new DagCborLimits { MaxStringLength = 3 }));
        // Many tiny items: a million empty arrays in one array exceed the default item budget.
        byte[] wide = new byte[1 + 4 + (1 << 20)];
        wide[0] = 0x9a;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(wide.AsSpan(1), 1 << 20);
        wide.AsSpan(5).Fill(0x80);
        Assert.Equal(DagCborError.CollectionTooLarge, Reject(wide));
        Assert.Equal(DagCborError.TooManyItems, Reject(wide, new DagCborLimits { MaxCollectionLength = 1 << 20 }));
    }

    [Fact]
    public void Typed_reads_check_the_kind()
    {
        var e = Assert.Throws<DagCborException>(() => new DagCborReader([0x61, 0x61]).ReadInt());
        Assert.Equal(DagCborError.UnexpectedKind, e.Error);
        e = Assert.Throws<DagCborException>(() => new DagCborReader([0x01]).ReadMapKey());
        Assert.Equal(DagCborError.InvalidState, e.Error);
        e = Assert.Throws<DagCborException>(() => new DagCborReader([0x01]).ReadNull());
        Assert.Equal(DagCborError.UnexpectedKind, e.Error);
        e = Assert.Throws<DagCborException>(() => new DagCborReader([0xf7]).ReadBool());
        Assert.Equal(DagCborError.UnsupportedSimpleValue, e.Error);
        e = Assert.Throws<DagCborException>(() =>
        {
            var r = new DagCborReader([0xa1, 0x61, 0x61, 0x01]);
            r.ReadMapHeader();
            r.ReadInt(); // key expected
        });
        Assert.Equal(DagCborError.UnexpectedKind, e.Error);
    }

    [Fact]
    public void Random_trees_round_trip_byte_exact()
    {
        var rng = new Random(20261124);
        for (int i = 0; i < 500; i++)
        {
            object value = RandomValue(rng, 5);
            byte[] data = Encode(value);
            DagCbor.Validate(data);
            object back = Decode(data);
            Assert.True(DeepEquals(value, back));
            Assert.Equal(data, Encode(back));
        }
    }

    [Fact]
    public void Random_byte_flips_never_crash()
    {
        // Mutations of valid encodings must either validate or throw DagCborException, nothing else.
        var rng = new Random(99);
        for (int i = 0; i < 300; i++)
        {
            byte[] data = Encode(RandomValue(rng, 4));
            for (int j = 0; j < 20; j++)
            {
                byte[] copy = (byte[])data.Clone();
                copy[rng.Next(copy.Length)] = (byte)rng.Next(256);
                try
                {
                    DagCbor.Validate(copy);
                    // Accepted: must re-encode identically (canonical means one encoding per value).
                    Assert.Equal(copy, Encode(Decode(copy)));
                }
                catch (DagCborException)
                {
                }
            }
        }
    }

    [Fact]
    public void Collects_blob_refs()
    {
        Cid blob1 = Cid.ForRaw("one"u8), blob2 = Cid.ForRaw("two"u8);
        SortedDictionary<string, object> Blob(Cid c)
        {
            var m = NewMap();
            m["$type"] = "blob";
            m["ref"] = c;
            m["mimeType"] = "image/png";
            m["size"] = 1234L;
            return m;
        }
        var notBlob = NewMap();
        notBlob["ref"] = SampleCid;
        notBlob["$type"] = "com.example.strongRef";
        var record = NewMap();
        record["$type"] = "app.bsky.feed.post";
        record["embed"] = new List<object> { Blob(blob1), notBlob, new List<object> { Blob(blob2) } };
        var refs = new List<Cid>();
        DagCbor.CollectBlobRefs(Encode(record), refs);
        Assert.Equal(new[] { blob1, blob2 }, refs);
    }
}
