namespace Alteran.Protocol.Cbor;

// Arrays, maps and skipping.
public ref partial struct DagCborReader
{
    /// <summary>Reads an array header; the caller then reads exactly that many values.</summary>
    public int ReadArrayHeader() => ReadContainerHeader(isMap: false);

    /// <summary>Reads a map header; the caller then reads that many key/value pairs (<see cref="ReadMapKey"/>, then a value).</summary>
    public int ReadMapHeader() => ReadContainerHeader(isMap: true);

    private int ReadContainerHeader(bool isMap)
    {
        int start = _pos;
        bool isKey = BeginItem();
        int major = ReadHeader(out ulong count);
        if (major != (isMap ? 5 : 4) || isKey)
            ThrowWrongKind(isKey, start);
        if (_depth >= _maxDepth)
            Throw(DagCborError.DepthExceeded, start);
        if (count > (ulong)_maxCollectionLength)
            Throw(DagCborError.CollectionTooLarge, start);
        // Every item takes at least one byte, so a count the rest of the input cannot hold is a truncation;
        // checked here so a caller can size a list from the count without trusting a declared length.
        ulong items = isMap ? count * 2 : count;
        if (items > (ulong)(_data.Length - _pos))
            Throw(DagCborError.Truncated, start);
        if (items > (ulong)(_maxItems - _items))
            Throw(DagCborError.TooManyItems, start);
        if (count == 0)
        {
            EndItem();
            return 0;
        }
        ref Frame f = ref _frames[_depth++];
        f.Remaining = (int)items;
        f.LastKeyStart = isMap ? NoKeyYet : ArrayMarker;
        f.LastKeyLength = 0;
        return (int)count;
    }

    /// <summary>
    /// Skips the next data item (a whole value, or a single key at a key position), validating it exactly as
    /// the typed reads would. Iterative: the depth limit, not the call stack, bounds nesting.
    /// </summary>
    public void SkipValue()
    {
        int target = _depth;
        do
        {
            SkipOne();
        }
        while (_depth > target);
    }

    /// <summary>Skips the next value and returns its encoded bytes (validated).</summary>
    public ReadOnlySpan<byte> ReadEncodedValue()
    {
        int start = _pos;
        SkipValue();
        return _data[start.._pos];
    }

    private void SkipOne()
    {
        switch (PeekKind())
        {
            case CborKind.Integer:
                ReadInt();
                break;
            case CborKind.Bytes:
                ReadBytes();
                break;
            case CborKind.Text:
                ReadText();
                break;
            case CborKind.Array:
                ReadArrayHeader();
                break;
            case CborKind.Map:
                ReadMapHeader();
                break;
            case CborKind.Cid:
                ReadCid();
                break;
            case CborKind.Bool:
                ReadBool();
                break;
            default:
                ReadNull();
                break;
        }
    }
}
