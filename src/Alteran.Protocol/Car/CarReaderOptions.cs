namespace Alteran.Protocol.Car;

/// <summary>
/// Limits and checks for reading CAR files; <c>default</c> gives the defaults below.
/// </summary>
/// <remarks>
/// Block length: atproto records are at most 1 MiB of DAG-CBOR and MST nodes and commits are far smaller; the
/// default of 2 MiB leaves room for older oversized records seen on the network while still bounding what one
/// section may make a caller buffer. Block count: a large real repository holds a few million blocks, so the
/// default (10 million, ≥ 370 MB of minimal sections) never bites on real exports; contexts with a tighter
/// budget (firehose #commit bodies: 10,000 like indigo) should set it. Header: one root takes 41 bytes, so 4 KiB
/// allows ~95 roots.
/// </remarks>
public readonly struct CarReaderOptions
{
    /// <summary>Default <see cref="MaxBlockLength"/>.</summary>
    public const int DefaultMaxBlockLength = 2 * 1024 * 1024;

    /// <summary>Default <see cref="MaxBlocks"/>.</summary>
    public const int DefaultMaxBlocks = 10_000_000;

    /// <summary>Default <see cref="MaxHeaderLength"/>.</summary>
    public const int DefaultMaxHeaderLength = 4096;

    private readonly int _maxBlockLength;
    private readonly int _maxBlocks;
    private readonly int _maxHeaderLength;

    /// <summary>Maximum bytes of block data in one section (excluding the CID); at most 1 GiB so section arithmetic stays in int.</summary>
    public int MaxBlockLength
    {
        get => _maxBlockLength == 0 ? DefaultMaxBlockLength : _maxBlockLength;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1 << 30);
            _maxBlockLength = value;
        }
    }

    /// <summary>Maximum number of blocks.</summary>
    public int MaxBlocks
    {
        get => _maxBlocks == 0 ? DefaultMaxBlocks : _maxBlocks;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxBlocks = value;
        }
    }

    /// <summary>Maximum header length in bytes (at most 1 MiB).</summary>
    public int MaxHeaderLength
    {
        get => _maxHeaderLength == 0 ? DefaultMaxHeaderLength : _maxHeaderLength;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1 << 20);
            _maxHeaderLength = value;
        }
    }

    /// <summary>Skip checking each block's SHA-256 against its CID (only for data already verified, e.g. from our own store).</summary>
    public bool SkipHashVerification { get; init; }

    /// <summary>Also check that every DAG-CBOR-codec block is canonical DAG-CBOR (<see cref="Cbor.DagCbor.Validate"/>).</summary>
    public bool ValidateDagCbor { get; init; }
}
