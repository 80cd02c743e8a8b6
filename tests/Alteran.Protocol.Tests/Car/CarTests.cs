using System.Buffers;
using System.Text.Json.Nodes;
using Alteran.Protocol.Car;
using Alteran.Protocol.Cbor;
using Alteran.Protocol.Tests.Cbor;

namespace Alteran.Protocol.Tests.Car;

public class CarTests
{
    private sealed record Fixture(Cid Root, List<(Cid Cid, byte[] Bytes)> Blocks, byte[] Car);

    private static byte[] FromBase64NoPad(string s) => Convert.FromBase64String(s.PadRight((s.Length + 3) / 4 * 4, '='));

    private static Fixture LoadFixture()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "fixtures", "atproto", "packages", "repo", "tests", "car-file-fixtures.json");
        JsonNode f = JsonNode.Parse(File.ReadAllBytes(path))!.AsArray()[0]!;
        var blocks = new List<(Cid, byte[])>();
        foreach (JsonNode? b in f["blocks"]!.AsArray())
            blocks.Add((Cid.Parse((string)b!["cid"]!), FromBase64NoPad((string)b["bytes"]!)));
        return new Fixture(Cid.Parse((string)f["root"]!), blocks, FromBase64NoPad((string)f["car"]!));
    }

    private static byte[] Write(ReadOnlySpan<Cid> roots, IEnumerable<(Cid Cid, byte[] Bytes)> blocks)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new CarWriter(buffer);
        writer.WriteHeader(roots);
        foreach (var (cid, bytes) in blocks)
            writer.WriteBlock(cid, bytes);
        Assert.Equal(buffer.WrittenCount, writer.BytesWritten);
        return buffer.WrittenSpan.ToArray();
    }

    private static (CarHeader Header, List<(Cid, byte[])> Blocks) ReadSpan(ReadOnlySpan<byte> car, CarReaderOptions options = default)
    {
        var reader = new CarSpanReader(car, options);
        var blocks = new List<(Cid, byte[])>();
        while (reader.TryReadBlock(out Cid cid, out ReadOnlySpan<byte> data))
            blocks.Add((cid, data.ToArray()));
        return (reader.Header, blocks);
    }

    /// <summary>Feeds the sequence to the incremental reader as a pipe would: growing prefixes, resuming where it stopped.</summary>
    private static (CarHeader Header, List<(Cid, byte[])> Blocks) ReadIncremental(ReadOnlySequence<byte> all, int step, CarReaderOptions options = default)
    {
        var car = new CarReader(options);
        CarHeader? header = null;
        var blocks = new List<(Cid, byte[])>();
        long consumed = 0;
        long available = 0;
        while (true)
        {
            available = Math.Min(all.Length, available + step);
            var reader = new SequenceReader<byte>(all.Slice(consumed, available - consumed));
            if (header is null && !car.TryReadHeader(ref reader, out header))
            {
                Assert.Equal(0, reader.Consumed); // need-more consumes nothing
                if (available == all.Length)
                    break;
                continue;
            }
            while (car.TryReadBlock(ref reader, out Cid cid, out ReadOnlySequence<byte> data))
                blocks.Add((cid, data.ToArray()));
            consumed += reader.Consumed;
            if (available == all.Length)
            {
                car.EnsureComplete(in reader);
                break;
            }
        }
        if (header is null)
            car.EnsureComplete(new SequenceReader<byte>(all.Slice(consumed)));
        return (header!, blocks);
    }

    private static ReadOnlySequence<byte> OneBytePerSegment(byte[] data)
    {
        if (data.Length == 0)
            return ReadOnlySequence<byte>.Empty;
        var first = new Segment(data.AsMemory(0, 1), 0);
        Segment last = first;
        for (int i = 1; i < data.Length; i++)
            last = last.Append(data.AsMemory(i, 1));
        return new ReadOnlySequence<byte>(first, 0, last, 1);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    [Fact]
    public void Fixture_is_written_byte_exact()
    {
        Fixture f = LoadFixture();
        Assert.Equal(5, f.Blocks.Count);
        byte[] car = Write([f.Root], f.Blocks);
        Assert.Equal(Convert.ToHexStringLower(f.Car), Convert.ToHexStringLower(car));
    }

    [Fact]
    public void Fixture_is_read_from_span_and_sequence()
    {
        Fixture f = LoadFixture();
        var (header, blocks) = ReadSpan(f.Car);
        Assert.Equal(new[] { f.Root }, header.Roots);
        AssertBlocks(f.Blocks, blocks);

        foreach (int step in new[] { 1, 3, 37, 1000, f.Car.Length })
        {
            var (h2, b2) = ReadIncremental(new ReadOnlySequence<byte>(f.Car), step);
            Assert.Equal(new[] { f.Root }, h2.Roots);
            AssertBlocks(f.Blocks, b2);
        }
        var (h3, b3) = ReadIncremental(OneBytePerSegment(f.Car), f.Car.Length);
        Assert.Equal(new[] { f.Root }, h3.Roots);
        AssertBlocks(f.Blocks, b3);
        var (h4, b4) = ReadIncremental(OneBytePerSegment(f.Car), 1);
        AssertBlocks(f.Blocks, b4);
    }

    private static void AssertBlocks(List<(Cid Cid, byte[] Bytes)> expected, List<(Cid Cid, byte[] Bytes)> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Cid, actual[i].Cid);
            Assert.Equal(expected[i].Bytes, actual[i].Bytes);
        }
    }

    [Fact]
    public void Every_truncated_prefix_is_rejected()
    {
        Fixture f = LoadFixture();
        // Section boundaries: a prefix ending exactly there is a valid (shorter) CAR.
        var boundaries = new HashSet<int>();
        var reader = new CarSpanReader(f.Car);
        boundaries.Add(reader.BytesConsumed);
        while (reader.TryReadBlock(out _, out _))
            boundaries.Add(reader.BytesConsumed);

        for (int i = 0; i < f.Car.Length; i++)
        {
            byte[] prefix = f.Car[..i];
            if (boundaries.Contains(i))
            {
                ReadSpan(prefix);
                ReadIncremental(new ReadOnlySequence<byte>(prefix), 7);
                continue;
            }
            var e = Assert.Throws<CarException>(() => ReadSpan(prefix));
            Assert.Equal(CarError.Truncated, e.Error);
            e = Assert.Throws<CarException>(() => ReadIncremental(new ReadOnlySequence<byte>(prefix), 5));
            Assert.Equal(CarError.Truncated, e.Error);
        }
    }

    [Fact]
    public void Hash_mismatch_is_rejected()
    {
        Fixture f = LoadFixture();
        byte[] car = (byte[])f.Car.Clone();
        car[^1] ^= 0x01; // last byte of the last block
        Assert.Equal(CarError.HashMismatch, Assert.Throws<CarException>(() => ReadSpan(car)).Error);
        Assert.Equal(CarError.HashMismatch, Assert.Throws<CarException>(() => ReadIncremental(OneBytePerSegment(car), 1000)).Error);
        // Skipping verification (trusted input) reads it.
        ReadSpan(car, new CarReaderOptions { SkipHashVerification = true });

        // A block stored under another block's CID.
        var blocks = f.Blocks.ToList();
        blocks[1] = (blocks[0].Cid, blocks[1].Bytes);
        Assert.Equal(CarError.HashMismatch, Assert.Throws<CarException>(() => ReadSpan(Write([f.Root], blocks))).Error);
    }

    private static byte[] Hex(string hex) => Convert.FromHexString(hex);

    private static byte[] ValidHeader(Cid root) => Write([root], []);

    [Fact]
    public void Huge_declared_lengths_are_rejected_without_allocation()
    {
        Cid root = Cid.ForDagCbor("x"u8);
        byte[] header = ValidHeader(root);
        var cases = new (byte[] Car, CarError Error)[]
        {
            (Hex("ffffffffffffffff7f"), CarError.HeaderTooLarge),                     // 2^63-1 header
            (Hex("ffffffffffffffffff01"), CarError.InvalidVarint),                   // 10-byte varint
            (Hex("8080808080808080808001"), CarError.InvalidVarint),
            (Hex("8100"), CarError.InvalidVarint),                                   // non-minimal
            ([.. header, .. Hex("ffffffffffffffff7f")], CarError.BlockTooLarge),
            ([.. header, .. Hex("80808101")], CarError.BlockTooLarge),               // 2 MiB + change
            ([.. header, .. Hex("00")], CarError.EmptySection),
            ([.. header, .. Hex("10"), .. new byte[16]], CarError.InvalidCid),       // shorter than a CID
            (Hex("00"), CarError.EmptySection),
        };
        foreach (var (car, error) in cases)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var e1 = Assert.Throws<CarException>(() => ReadSpan(car));
            var e2 = Assert.Throws<CarException>(() => ReadIncremental(new ReadOnlySequence<byte>(car), car.Length));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(error, e1.Error);
            Assert.Equal(error, e2.Error);
            Assert.True(allocated < 256 * 1024, $"allocated {allocated}");
        }
        // The incremental reader reports a too-large length as soon as the varint is complete, without waiting for the data.
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>([.. header, .. Hex("80808101")]));
        var carReader = new CarReader();
        Assert.True(carReader.TryReadHeader(ref reader, out _));
        try
        {
            carReader.TryReadBlock(ref reader, out _, out _);
            Assert.Fail("expected CarException");
        }
        catch (CarException e)
        {
            Assert.Equal(CarError.BlockTooLarge, e.Error);
        }
    }

    [Fact]
    public void Invalid_headers_are_rejected()
    {
        Cid root = Cid.ForDagCbor("x"u8);
        string rootHex = "d82a582500" + Convert.ToHexStringLower(root.ToBytes());
        string[] bad =
        [
            "a0",                                                   // empty map
            "a16776657273696f6e01",                                 // version only
            "a265726f6f747380" + "6776657273696f6e02",              // version 2
            "a26776657273696f6e01" + "65726f6f747380",              // keys unsorted
            "a265726f6f74738101" + "6776657273696f6e01",            // root not a CID
            "a265726f6f747380" + "6776657273696f6e01" + "00",       // trailing byte
            "a365726f6f747380" + "6776657273696f6e01" + "6178" + "01", // extra key (unsorted too)
            "a265726f6f7473" + "81" + rootHex + "6776657273696f6e" + "f93c00", // float version
            "8101",                                                 // not a map
            "a265726f6f7473f6" + "6776657273696f6e01",              // roots null
        ];
        foreach (string hex in bad)
        {
            byte[] h = Hex(hex);
            byte[] car = [(byte)h.Length, .. h];
            var e = Assert.Throws<CarException>(() => ReadSpan(car));
            Assert.Equal(CarError.InvalidHeader, e.Error);
        }
        // Empty roots are allowed (sync.getBlocks-style exports).
        var (header, blocks) = ReadSpan(Write([], []));
        Assert.Empty(header.Roots);
        Assert.Empty(blocks);
    }

    [Fact]
    public void Unblessed_block_cids_are_rejected()
    {
        Cid root = Cid.ForDagCbor("x"u8);
        byte[] data = Hex("a0");
        Cid cid = Cid.ForDagCbor(data);
        byte[] good = Write([root], [(cid, data)]);
        ReadSpan(good);
        int cidAt = ValidHeader(root).Length + 1;
        foreach (var (offset, value) in new[] { (0, (byte)0x00), (1, (byte)0x70), (2, (byte)0x13), (3, (byte)0x1f) })
        {
            byte[] bad = (byte[])good.Clone();
            bad[cidAt + offset] = value;
            Assert.Equal(CarError.InvalidCid, Assert.Throws<CarException>(() => ReadSpan(bad)).Error);
        }
    }

    [Fact]
    public void Block_count_and_size_limits_apply()
    {
        Cid root = Cid.ForDagCbor("x"u8);
        var blocks = new List<(Cid, byte[])>();
        for (int i = 0; i < 5; i++)
        {
            byte[] b = CborTestValues.Encode((long)i + 100);
            blocks.Add((Cid.ForDagCbor(b), b));
        }
        byte[] car = Write([root], blocks);
        ReadSpan(car, new CarReaderOptions { MaxBlocks = 5 });
        Assert.Equal(CarError.TooManyBlocks, Assert.Throws<CarException>(() => ReadSpan(car, new CarReaderOptions { MaxBlocks = 4 })).Error);
        Assert.Equal(CarError.TooManyBlocks, Assert.Throws<CarException>(() => ReadIncremental(new ReadOnlySequence<byte>(car), 3, new CarReaderOptions { MaxBlocks = 4 })).Error);
        Assert.Equal(CarError.BlockTooLarge, Assert.Throws<CarException>(() => ReadSpan(car, new CarReaderOptions { MaxBlockLength = 1 })).Error);
    }

    [Fact]
    public void Invalid_dag_cbor_blocks_are_rejected_when_asked()
    {
        Cid root = Cid.ForDagCbor("x"u8);
        byte[] bad = Hex("a2616201616101"); // unsorted keys
        byte[] car = Write([root], [(Cid.ForDagCbor(bad), bad)]);
        ReadSpan(car);
        var e = Assert.Throws<CarException>(() => ReadSpan(car, new CarReaderOptions { ValidateDagCbor = true }));
        Assert.Equal(CarError.InvalidBlock, e.Error);
        // Raw blocks are not DAG-CBOR and are not checked as such.
        ReadSpan(Write([root], [(Cid.ForRaw(bad), bad)]), new CarReaderOptions { ValidateDagCbor = true });
    }

    [Fact]
    public void Random_cars_round_trip_through_both_readers()
    {
        var rng = new Random(5150);
        for (int n = 0; n < 20; n++)
        {
            var blocks = new List<(Cid Cid, byte[] Bytes)>();
            int count = rng.Next(0, 30);
            for (int i = 0; i < count; i++)
            {
                byte[] b = CborTestValues.Encode(CborTestValues.RandomValue(rng, 3));
                blocks.Add((Cid.ForDagCbor(b), b));
            }
            Cid[] roots = count > 0 ? [blocks[0].Cid] : [];
            byte[] car = Write(roots, blocks);
            var (h1, b1) = ReadSpan(car, new CarReaderOptions { ValidateDagCbor = true });
            Assert.Equal(roots, h1.Roots);
            AssertBlocks(blocks, b1);
            var (h2, b2) = ReadIncremental(OneBytePerSegment(car), rng.Next(1, 200));
            Assert.Equal(roots, h2.Roots);
            AssertBlocks(blocks, b2);
            Assert.Equal(car, Write(roots, b2));
        }
    }

    [Fact]
    public void Large_block_through_small_segments()
    {
        var big = new byte[1 << 20];
        new Random(3).NextBytes(big);
        Cid cid = Cid.ForRaw(big);
        byte[] car = Write([cid], [(cid, big)]);
        // 4 KiB segments, like a pipe.
        Segment first = new(car.AsMemory(0, 4096), 0), last = first;
        for (int i = 4096; i < car.Length; i += 4096)
            last = last.Append(car.AsMemory(i, Math.Min(4096, car.Length - i)));
        var seq = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        var (_, blocks) = ReadIncremental(seq, 64 * 1024);
        Assert.Single(blocks);
        Assert.Equal(big, blocks[0].Item2);
    }

    [Fact]
    public void Random_byte_flips_never_crash()
    {
        // Mutations of a valid CAR must read or throw CarException, through both readers, nothing else.
        Fixture f = LoadFixture();
        var rng = new Random(31337);
        for (int i = 0; i < 2000; i++)
        {
            byte[] car = (byte[])f.Car.Clone();
            int flips = rng.Next(1, 4);
            for (int j = 0; j < flips; j++)
                car[rng.Next(car.Length)] = (byte)rng.Next(256);
            try
            {
                ReadSpan(car);
            }
            catch (CarException)
            {
            }
            try
            {
                ReadIncremental(new ReadOnlySequence<byte>(car), rng.Next(1, 300));
            }
            catch (CarException)
            {
            }
        }
    }
}
