using System.Buffers;

namespace Alteran.Protocol.Car;

/// <summary>
/// Incremental CAR v1 reader over <see cref="SequenceReader{T}"/>, for feeding from a <c>PipeReader</c>:
/// each <c>TryRead…</c> returns false when more input is needed (and consumes nothing), returns true after
/// consuming one whole item, and throws <see cref="CarException"/> for malformed or over-limit input.
/// Each block's SHA-256 is checked against its CID before it is returned.
/// </summary>
/// <remarks>
/// Lengths are checked against <see cref="CarReaderOptions"/> as soon as their varint is complete, before
/// waiting for (or buffering) the bytes they declare. Blocks are returned as slices of the input; only a block
/// split across segments is copied, into one scratch buffer reused for the reader's lifetime (≤ the block limit),
/// to hash it. Usage: call <see cref="TryReadHeader"/> until true, then <see cref="TryReadBlock"/> until false;
/// when the input is complete, call <see cref="EnsureComplete"/> to reject a truncated tail.
/// </remarks>
public sealed class CarReader
{
    private readonly CarReaderOptions _options;
    private byte[]? _scratch;
    private bool _headerRead;
    private int _blocks;

    /// <summary>Creates a reader with the given limits (<c>default</c> = defaults).</summary>
    public CarReader(CarReaderOptions options = default)
    {
        _options = options;
    }

    /// <summary>The header, once read.</summary>
    public CarHeader? Header { get; private set; }

    /// <summary>Blocks read so far.</summary>
    public int BlockCount => _blocks;

    /// <summary>Reads the header. Returns false if more input is needed.</summary>
    public bool TryReadHeader(ref SequenceReader<byte> reader, out CarHeader header)
    {
        if (_headerRead)
            throw new InvalidOperationException("The CAR header has already been read.");
        header = null!;
        if (!TryPeekLength(in reader, out ulong length, out int varintLength))
            return false;
        CarFormat.CheckHeaderLength(length, _options);
        if (reader.Remaining < varintLength + (long)length)
            return false;
        SequenceReader<byte> r = reader;
        r.Advance(varintLength);
        header = CarFormat.ParseHeader(Contiguous(ref r, (int)length));
        Header = header;
        _headerRead = true;
        reader = r;
        return true;
    }

    /// <summary>
    /// Reads the next block and verifies it. Returns false if more input is needed (including at the clean end of
    /// the input: check <see cref="EnsureComplete"/> once the input is complete). <paramref name="data"/> is a slice of
    /// the input sequence.
    /// </summary>
    public bool TryReadBlock(ref SequenceReader<byte> reader, out Cid cid, out ReadOnlySequence<byte> data)
    {
        if (!_headerRead)
            throw new InvalidOperationException("Read the CAR header first.");
        cid = default;
        data = default;
        if (!TryPeekLength(in reader, out ulong length, out int varintLength))
            return false;
        CarFormat.CheckSectionLength(length, _options);
        if (_blocks >= _options.MaxBlocks)
            CarFormat.Throw(CarError.TooManyBlocks, $"The CAR has more than {_options.MaxBlocks} blocks.");
        if (reader.Remaining < varintLength + (long)length)
            return false;

        SequenceReader<byte> r = reader;
        r.Advance(varintLength);
        Span<byte> cidBytes = stackalloc byte[Cid.ByteLength];
        r.TryCopyTo(cidBytes);
        cid = CarFormat.ReadSectionCid(cidBytes);
        r.Advance(Cid.ByteLength);
        int dataLength = (int)length - Cid.ByteLength;
        data = r.Sequence.Slice(r.Position, dataLength);
        ReadOnlySpan<byte> contiguous = Contiguous(ref r, dataLength);
        CarFormat.VerifyBlock(cid, contiguous, _options);
        _blocks++;
        reader = r;
        return true;
    }

    /// <summary>Call when the input has ended: throws <see cref="CarError.Truncated"/> unless the header and whole sections were all read.</summary>
    public void EnsureComplete(in SequenceReader<byte> reader)
    {
        if (!_headerRead || !reader.End)
            CarFormat.Throw(CarError.Truncated, "The CAR ends inside the header or a section.");
    }

    private static bool TryPeekLength(in SequenceReader<byte> reader, out ulong length, out int varintLength)
    {
        ReadOnlySpan<byte> unread = reader.UnreadSpan;
        if (unread.Length >= Varint.MaxLength || unread.Length == reader.Remaining)
            return CarFormat.TryReadLength(unread, out length, out varintLength);
        // The varint may straddle segments: copy up to 9 bytes.
        Span<byte> peek = stackalloc byte[Varint.MaxLength];
        int n = (int)Math.Min(Varint.MaxLength, reader.Remaining);
        reader.TryCopyTo(peek[..n]);
        return CarFormat.TryReadLength(peek[..n], out length, out varintLength);
    }

    /// <summary>Returns the next <paramref name="length"/> bytes as one span (copying only if they straddle segments) and advances past them.</summary>
    private ReadOnlySpan<byte> Contiguous(ref SequenceReader<byte> r, int length)
    {
        ReadOnlySpan<byte> unread = r.UnreadSpan;
        if (unread.Length >= length)
        {
            r.Advance(length);
            return unread[..length];
        }
        if (_scratch is null || _scratch.Length < length)
            _scratch = new byte[Math.Max(length, Math.Min(2 * (_scratch?.Length ?? 4096), _options.MaxBlockLength))];
        Span<byte> copy = _scratch.AsSpan(0, length);
        r.TryCopyTo(copy);
        r.Advance(length);
        return copy;
    }
}
