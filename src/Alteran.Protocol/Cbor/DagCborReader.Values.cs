using System.Text;
using System.Text.Unicode;

namespace Alteran.Protocol.Cbor;

// Scalar and string values.
public ref partial struct DagCborReader
{
    /// <summary>Reads an integer (major type 0 or 1) within the int64 range.</summary>
    public long ReadInt()
    {
        int start = _pos;
        bool isKey = BeginItem();
        int major = ReadHeader(out ulong arg);
        if (major > 1 || isKey)
            ThrowWrongKind(isKey, start);
        if (arg > long.MaxValue)
            Throw(DagCborError.IntegerOverflow, start);
        EndItem();
        // Major 1 encodes -1 - arg, which is ~arg.
        return major == 0 ? (long)arg : ~(long)arg;
    }

    /// <summary>Reads <c>true</c> or <c>false</c>.</summary>
    public bool ReadBool()
    {
        int start = _pos;
        bool isKey = BeginItem();
        int major = ReadHeader(out ulong arg);
        if (major != 7 || isKey || arg is not (20 or 21))
        {
            if (major == 7 && arg is not (20 or 21 or 22))
                ThrowForSimple(_data[start], start);
            ThrowWrongKind(isKey, start);
        }
        EndItem();
        return arg == 21;
    }

    /// <summary>Reads <c>null</c>.</summary>
    public void ReadNull()
    {
        if (!TryReadNull())
        {
            // Not null: report precisely what is there.
            PeekKind();
            Throw(IsAtMapKey ? DagCborError.NonTextMapKey : DagCborError.UnexpectedKind, _pos);
        }
    }

    /// <summary>Reads <c>null</c> if that is next and returns true; otherwise consumes nothing and returns false.</summary>
    public bool TryReadNull()
    {
        if ((uint)_pos >= (uint)_data.Length || _data[_pos] != 0xf6 || IsAtMapKey)
            return false;
        BeginItem();
        _pos++;
        EndItem();
        return true;
    }

    /// <summary>
    /// Reads a text string (validated UTF-8). At a map key position this is the same as <see cref="ReadMapKey"/>,
    /// including the key-order check.
    /// </summary>
    public ReadOnlySpan<byte> ReadText()
    {
        int start = _pos;
        bool isKey = BeginItem();
        int major = ReadHeader(out ulong length);
        if (major != 3)
            ThrowWrongKind(isKey, start);
        ReadOnlySpan<byte> text = TakeString(length, start);
        if (!Utf8.IsValid(text))
            Throw(DagCborError.InvalidUtf8, start);
        if (isKey)
            CheckKeyOrder(text, start);
        EndItem();
        return text;
    }

    /// <summary>Reads a text string as a .NET string.</summary>
    public string ReadTextString() => Encoding.UTF8.GetString(ReadText());

    /// <summary>Reads the next map key (a text string), enforcing canonical order and no duplicates within its map.</summary>
    public ReadOnlySpan<byte> ReadMapKey()
    {
        if (!IsAtMapKey)
            Throw(DagCborError.InvalidState, _pos);
        return ReadText();
    }

    /// <summary>Reads a byte string.</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        int start = _pos;
        bool isKey = BeginItem();
        int major = ReadHeader(out ulong length);
        if (major != 2 || isKey)
            ThrowWrongKind(isKey, start);
        ReadOnlySpan<byte> bytes = TakeString(length, start);
        EndItem();
        return bytes;
    }

    /// <summary>Reads a CID link: tag 42 (shortest form) over a byte string of 0x00 + a blessed binary CID.</summary>
    public Cid ReadCid()
    {
        int start = _pos;
        bool isKey = BeginItem();
        int major = ReadHeader(out ulong tag);
        if (major != 6 || isKey)
            ThrowWrongKind(isKey, start);
        if (tag != 42)
            Throw(DagCborError.UnsupportedTag, start);
        int contentStart = _pos;
        if ((uint)contentStart >= (uint)_data.Length)
            Throw(DagCborError.Truncated, contentStart);
        // Only a byte string may follow; check the major type before the generic header reader can
        // report something less specific (a float, say).
        if (_data[contentStart] >> 5 != 2)
            Throw(DagCborError.InvalidCid, contentStart);
        ReadHeader(out ulong length);
        ReadOnlySpan<byte> content = TakeString(length, contentStart);
        Cid cid = default;
        if (content.Length != 1 + Cid.ByteLength || content[0] != 0x00 || !Cid.TryReadExact(content[1..], out cid))
            Throw(DagCborError.InvalidCid, contentStart);
        EndItem();
        return cid;
    }

    /// <summary>Returns the next <paramref name="length"/> bytes after checking the string limits; advances past them.</summary>
    private ReadOnlySpan<byte> TakeString(ulong length, int start)
    {
        if (length > (ulong)_maxStringLength)
            Throw(DagCborError.StringTooLong, start);
        int n = (int)length;
        if (n > _data.Length - _pos)
            Throw(DagCborError.Truncated, start);
        ReadOnlySpan<byte> s = _data.Slice(_pos, n);
        _pos += n;
        return s;
    }

    /// <summary>Checks <paramref name="key"/> sorts strictly after the previous key of the innermost map, then records it.</summary>
    private void CheckKeyOrder(ReadOnlySpan<byte> key, int start)
    {
        ref Frame f = ref _frames[_depth - 1];
        int keyStart = _pos - key.Length;
        if (f.LastKeyStart != NoKeyYet)
        {
            int c = DagCborKeyOrder.Compare(_data.Slice(f.LastKeyStart, f.LastKeyLength), key);
            if (c >= 0)
                Throw(c == 0 ? DagCborError.DuplicateMapKey : DagCborError.UnsortedMapKeys, start);
        }
        f.LastKeyStart = keyStart;
        f.LastKeyLength = key.Length;
    }
}
