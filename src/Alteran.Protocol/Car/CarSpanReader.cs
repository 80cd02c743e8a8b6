namespace Alteran.Protocol.Car;

/// <summary>
/// CAR v1 reader over a complete file in memory. The constructor reads and checks the header; then
/// <see cref="TryReadBlock"/> returns each verified block in turn, false at the end, and throws
/// <see cref="CarException"/> for malformed, truncated or over-limit input. Blocks are slices of the input.
/// </summary>
public ref struct CarSpanReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly CarReaderOptions _options;
    private int _pos;
    private int _blocks;

    /// <summary>Reads the header of <paramref name="car"/>.</summary>
    public CarSpanReader(ReadOnlySpan<byte> car, CarReaderOptions options = default)
    {
        _data = car;
        _options = options;
        if (!CarFormat.TryReadLength(car, out ulong length, out int varintLength))
            CarFormat.Throw(CarError.Truncated, "The CAR ends inside the header length.");
        CarFormat.CheckHeaderLength(length, options);
        if ((ulong)(car.Length - varintLength) < length)
            CarFormat.Throw(CarError.Truncated, "The CAR ends inside the header.");
        Header = CarFormat.ParseHeader(car.Slice(varintLength, (int)length));
        _pos = varintLength + (int)length;
    }

    /// <summary>The header.</summary>
    public CarHeader Header { get; }

    /// <summary>Blocks read so far.</summary>
    public readonly int BlockCount => _blocks;

    /// <summary>Bytes read so far.</summary>
    public readonly int BytesConsumed => _pos;

    /// <summary>Reads the next block; false at the end of the input.</summary>
    public bool TryReadBlock(out Cid cid, out ReadOnlySpan<byte> data)
    {
        cid = default;
        data = default;
        ReadOnlySpan<byte> rest = _data[_pos..];
        if (rest.IsEmpty)
            return false;
        if (!CarFormat.TryReadLength(rest, out ulong length, out int varintLength))
            CarFormat.Throw(CarError.Truncated, "The CAR ends inside a section length.");
        CarFormat.CheckSectionLength(length, _options);
        if (_blocks >= _options.MaxBlocks)
            CarFormat.Throw(CarError.TooManyBlocks, $"The CAR has more than {_options.MaxBlocks} blocks.");
        if ((ulong)(rest.Length - varintLength) < length)
            CarFormat.Throw(CarError.Truncated, "The CAR ends inside a section.");
        ReadOnlySpan<byte> section = rest.Slice(varintLength, (int)length);
        cid = CarFormat.ReadSectionCid(section);
        data = section[Cid.ByteLength..];
        CarFormat.VerifyBlock(cid, data, _options);
        _blocks++;
        _pos += varintLength + (int)length;
        return true;
    }
}
