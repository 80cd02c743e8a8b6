namespace Alteran.Protocol.Cbor;

/// <summary>
/// Bounds a <see cref="DagCborReader"/> enforces before it looks at (or lets a caller allocate for) any
/// declared size. <c>default(DagCborLimits)</c> means the defaults below, so callers can pass <c>default</c>.
/// </summary>
/// <remarks>
/// Defaults follow the atproto data limits (indigo <c>atproto/data/const.go</c>): records are at most 1 MiB,
/// strings at most 1 MiB inside a record, containers at most 128 Ki entries, recommended nesting at most 32.
/// We take twice the recommended depth (64) so that valid-but-unusual network data still reads, while a
/// nesting bomb stops after 64 levels. The string limit is 2 MiB rather than 1 MiB so that one reader also
/// handles firehose <c>#commit</c> bodies, whose <c>blocks</c> byte string may reach 2,000,000 bytes.
/// </remarks>
public readonly struct DagCborLimits
{
    /// <summary>The deepest nesting the reader can track: its container stack is inline (no heap), of this size.</summary>
    public const int HardMaxDepth = 64;

    /// <summary>Default nesting depth (arrays and maps).</summary>
    public const int DefaultMaxDepth = 64;

    /// <summary>Default total number of data items (every value and map key counts one).</summary>
    public const int DefaultMaxItems = 1 << 20;

    /// <summary>Default maximum entries in one array or map.</summary>
    public const int DefaultMaxCollectionLength = 128 * 1024;

    /// <summary>Default maximum length in bytes of one text or byte string.</summary>
    public const int DefaultMaxStringLength = 2 * 1024 * 1024;

    private readonly int _maxDepth;
    private readonly int _maxItems;
    private readonly int _maxCollectionLength;
    private readonly int _maxStringLength;

    /// <summary>The defaults.</summary>
    public static DagCborLimits Default => default;

    /// <summary>Maximum nesting depth, 1..<see cref="HardMaxDepth"/>.</summary>
    public int MaxDepth
    {
        get => _maxDepth == 0 ? DefaultMaxDepth : _maxDepth;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, HardMaxDepth);
            _maxDepth = value;
        }
    }

    /// <summary>Maximum total data items in one input.</summary>
    public int MaxItems
    {
        get => _maxItems == 0 ? DefaultMaxItems : _maxItems;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxItems = value;
        }
    }

    /// <summary>Maximum entries in one array or map.</summary>
    public int MaxCollectionLength
    {
        get => _maxCollectionLength == 0 ? DefaultMaxCollectionLength : _maxCollectionLength;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxCollectionLength = value;
        }
    }

    /// <summary>Maximum bytes in one text or byte string.</summary>
    public int MaxStringLength
    {
        get => _maxStringLength == 0 ? DefaultMaxStringLength : _maxStringLength;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxStringLength = value;
        }
    }
}
