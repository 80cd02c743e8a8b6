namespace Alteran.Protocol.Cbor;

/// <summary>Why a DAG-CBOR input was rejected.</summary>
public enum DagCborError
{
    /// <summary>The input ended inside a value.</summary>
    Truncated,
    /// <summary>Bytes remain after the top-level value.</summary>
    TrailingBytes,
    /// <summary>An integer, length or tag argument was not in its shortest form.</summary>
    NonMinimalEncoding,
    /// <summary>Indefinite-length string, array or map (additional info 31).</summary>
    IndefiniteLength,
    /// <summary>Reserved additional information 28–30.</summary>
    ReservedAdditionalInfo,
    /// <summary>A float (half, single or double).</summary>
    Float,
    /// <summary>A simple value other than false/true/null (including undefined).</summary>
    UnsupportedSimpleValue,
    /// <summary>A tag other than 42.</summary>
    UnsupportedTag,
    /// <summary>Tag 42 whose content is not a byte string of 0x00 + a blessed CID.</summary>
    InvalidCid,
    /// <summary>A map key that is not a text string.</summary>
    NonTextMapKey,
    /// <summary>Map keys not in canonical (length-first, then bytewise) order.</summary>
    UnsortedMapKeys,
    /// <summary>The same map key twice.</summary>
    DuplicateMapKey,
    /// <summary>A text string that is not valid UTF-8.</summary>
    InvalidUtf8,
    /// <summary>A negative integer below <see cref="long.MinValue"/> or a positive one above <see cref="long.MaxValue"/>.</summary>
    IntegerOverflow,
    /// <summary>Nesting deeper than <see cref="DagCborLimits.MaxDepth"/>.</summary>
    DepthExceeded,
    /// <summary>More items (values, across the whole input) than <see cref="DagCborLimits.MaxItems"/>.</summary>
    TooManyItems,
    /// <summary>A string or byte string longer than <see cref="DagCborLimits.MaxStringLength"/>.</summary>
    StringTooLong,
    /// <summary>A collection declaring more entries than the input can possibly hold, or than the limits allow.</summary>
    CollectionTooLarge,
    /// <summary>The value is not of the kind the caller asked for.</summary>
    UnexpectedKind,
    /// <summary>The caller read a map key when no map entry was pending, or skipped past its map.</summary>
    InvalidState,
}
