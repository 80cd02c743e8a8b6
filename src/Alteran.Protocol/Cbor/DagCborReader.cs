using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Alteran.Protocol.Cbor;

/// <summary>
/// Pull reader for DAG-CBOR over a contiguous block. It enforces the strict profile at read time: shortest-form
/// integers, lengths and tags; definite lengths only; no floats, no simple values other than false/true/null;
/// tag 42 only, holding 0x00 + a blessed CID; text-only map keys in canonical order without duplicates;
/// valid UTF-8; integers within int64. Anything else throws <see cref="DagCborException"/>.
/// </summary>
/// <remarks>
/// <para>State: <c>_pos</c> (next byte), <c>_items</c> (data items read, against <see cref="DagCborLimits.MaxItems"/>),
/// and a stack of open containers (<c>_frames[0.._depth)</c>), kept inline so reading never allocates. A frame
/// holds how many items its container still owes (a map owes two per entry, so an even count means "a key is
/// next") and, for maps, where the previous key lies in the input, so each key is compared with the previous
/// one in O(key length) without copying.</para>
/// <para>Every read first charges the item to the innermost frame, then reads; containers whose last item has
/// been read are popped. Nesting is bounded by <see cref="DagCborLimits.MaxDepth"/> (≤ 64) before a frame is
/// pushed, and nothing recurses, so hostile nesting cannot exhaust the stack. Declared lengths are checked
/// against the limits and against the bytes actually left before anything uses them, so callers may size
/// buffers from <see cref="ReadArrayHeader"/>/<see cref="ReadMapHeader"/> safely (each entry takes ≥ 1 byte).</para>
/// <para>After an exception the reader's state is unspecified; discard it.</para>
/// </remarks>
public ref partial struct DagCborReader
{
    private const int ArrayMarker = -2; // Frame.LastKeyStart for arrays
    private const int NoKeyYet = -1;    // Frame.LastKeyStart for a map before its first key

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _maxDepth;
    private readonly int _maxItems;
    private readonly int _maxCollectionLength;
    private readonly int _maxStringLength;
    private int _pos;
    private int _items;
    private int _depth;
    private FrameStack _frames;

    /// <summary>Creates a reader over <paramref name="data"/>; <c>default</c> limits are the sane defaults.</summary>
    public DagCborReader(ReadOnlySpan<byte> data, DagCborLimits limits = default)
    {
        _data = data;
        _maxDepth = limits.MaxDepth;
        _maxItems = limits.MaxItems;
        _maxCollectionLength = limits.MaxCollectionLength;
        _maxStringLength = limits.MaxStringLength;
    }

    /// <summary>Bytes read so far.</summary>
    public readonly int BytesConsumed => _pos;

    /// <summary>True when all input has been read.</summary>
    public readonly bool IsAtEnd => _pos == _data.Length;

    /// <summary>Number of containers currently open.</summary>
    public readonly int Depth => _depth;

    /// <summary>True when the next item is a key of the innermost open map.</summary>
    public readonly bool IsAtMapKey => _depth > 0 && IsKeyNext(in _frames[_depth - 1]);

    /// <summary>Throws <see cref="DagCborError.TrailingBytes"/> if input remains, or <see cref="DagCborError.Truncated"/> if a container is still open.</summary>
    public readonly void EnsureEnd()
    {
        if (_depth > 0)
            Throw(DagCborError.Truncated, _pos);
        if (_pos != _data.Length)
            Throw(DagCborError.TrailingBytes, _pos);
    }

    /// <summary>The kind of the next value, without consuming it. Throws for bytes that can start no valid value.</summary>
    public readonly CborKind PeekKind()
    {
        if ((uint)_pos >= (uint)_data.Length)
            Throw(DagCborError.Truncated, _pos);
        byte ib = _data[_pos];
        switch (ib >> 5)
        {
            case 0:
            case 1:
                return CborKind.Integer;
            case 2:
                return CborKind.Bytes;
            case 3:
                return CborKind.Text;
            case 4:
                return CborKind.Array;
            case 5:
                return CborKind.Map;
            case 6:
                return CborKind.Cid;
            default:
                if (ib is 0xf4 or 0xf5)
                    return CborKind.Bool;
                if (ib == 0xf6)
                    return CborKind.Null;
                ThrowForSimple(ib, _pos);
                return default;
        }
    }

    private static bool IsKeyNext(in Frame f) => f.LastKeyStart != ArrayMarker && (f.Remaining & 1) == 0;

    /// <summary>
    /// Charges one data item to the innermost container and to the item budget.
    /// Returns true if that item is a map key.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool BeginItem()
    {
        if (++_items > _maxItems)
            Throw(DagCborError.TooManyItems, _pos);
        if (_depth == 0)
            return false;
        ref Frame f = ref _frames[_depth - 1];
        bool isKey = IsKeyNext(in f);
        f.Remaining--;
        return isKey;
    }

    /// <summary>Pops every container whose last item has now been read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EndItem()
    {
        while (_depth > 0 && _frames[_depth - 1].Remaining == 0)
            _depth--;
    }

    /// <summary>
    /// Reads an initial byte and its argument in shortest form. Major type 7 is only returned for
    /// additional info &lt; 24 (simple values 0..23); floats and the rest throw here.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ReadHeader(out ulong argument)
    {
        int pos = _pos;
        if ((uint)pos >= (uint)_data.Length)
            Throw(DagCborError.Truncated, pos);
        byte ib = _data[pos];
        int ai = ib & 0x1f;
        if (ai < 24)
        {
            argument = (ulong)ai;
            _pos = pos + 1;
            return ib >> 5;
        }
        return ReadHeaderSlow(ib, out argument);
    }

    private int ReadHeaderSlow(byte ib, out ulong argument)
    {
        int start = _pos;
        int major = ib >> 5;
        int ai = ib & 0x1f;
        if (major == 7)
            ThrowForSimple(ib, start);
        ReadOnlySpan<byte> rest = _data[(start + 1)..];
        switch (ai)
        {
            case 24:
                if (rest.Length < 1)
                    Throw(DagCborError.Truncated, start);
                argument = rest[0];
                if (argument < 24)
                    Throw(DagCborError.NonMinimalEncoding, start);
                _pos = start + 2;
                return major;
            case 25:
                if (rest.Length < 2)
                    Throw(DagCborError.Truncated, start);
                argument = BinaryPrimitives.ReadUInt16BigEndian(rest);
                if (argument <= byte.MaxValue)
                    Throw(DagCborError.NonMinimalEncoding, start);
                _pos = start + 3;
                return major;
            case 26:
                if (rest.Length < 4)
                    Throw(DagCborError.Truncated, start);
                argument = BinaryPrimitives.ReadUInt32BigEndian(rest);
                if (argument <= ushort.MaxValue)
                    Throw(DagCborError.NonMinimalEncoding, start);
                _pos = start + 5;
                return major;
            case 27:
                if (rest.Length < 8)
                    Throw(DagCborError.Truncated, start);
                argument = BinaryPrimitives.ReadUInt64BigEndian(rest);
                if (argument <= uint.MaxValue)
                    Throw(DagCborError.NonMinimalEncoding, start);
                _pos = start + 9;
                return major;
            case 31:
                Throw(major is >= 2 and <= 5 ? DagCborError.IndefiniteLength : DagCborError.ReservedAdditionalInfo, start);
                break;
            default:
                Throw(DagCborError.ReservedAdditionalInfo, start);
                break;
        }
        argument = 0;
        return 0;
    }

    /// <summary>Throws the right error for a major-type-7 initial byte that is not false/true/null.</summary>
    [DoesNotReturn]
    private static void ThrowForSimple(byte ib, int offset)
    {
        DagCborError error = ib switch
        {
            0xf9 or 0xfa or 0xfb => DagCborError.Float,
            0xfc or 0xfd or 0xfe => DagCborError.ReservedAdditionalInfo,
            0xff => DagCborError.IndefiniteLength, // a stray "break"
            _ => DagCborError.UnsupportedSimpleValue, // 0xe0..0xf3, undefined (0xf7), 0xf8 xx
        };
        Throw(error, offset);
    }

    /// <summary>
    /// Throws for a value of the wrong kind: a non-text item at a key position is invalid input
    /// (<see cref="DagCborError.NonTextMapKey"/>); anything else is a mismatch with what the caller asked for.
    /// </summary>
    [DoesNotReturn]
    private readonly void ThrowWrongKind(bool isKey, int offset) =>
        Throw(isKey && _data[offset] >> 5 != 3 ? DagCborError.NonTextMapKey : DagCborError.UnexpectedKind, offset);

    [DoesNotReturn]
    private static void Throw(DagCborError error, int offset) => throw new DagCborException(error, offset);

    /// <summary>One open container.</summary>
    private struct Frame
    {
        /// <summary>Items still owed (map: 2 per entry).</summary>
        public int Remaining;

        /// <summary><see cref="ArrayMarker"/> for arrays; for maps the input offset of the previous key's bytes, or <see cref="NoKeyYet"/>.</summary>
        public int LastKeyStart;

        /// <summary>Length of the previous key's bytes.</summary>
        public int LastKeyLength;
    }

    [InlineArray(DagCborLimits.HardMaxDepth)]
    private struct FrameStack
    {
        private Frame _element0;
    }
}
