namespace Alteran.Protocol.DataModel;

/// <summary>Why a value in the atproto JSON form was rejected.</summary>
public enum DataModelError
{
    /// <summary>Not well-formed JSON (or nested deeper than the limit).</summary>
    InvalidJson,
    /// <summary>The top level is not an object.</summary>
    TopLevelNotObject,
    /// <summary>A number with a fractional part, or an integer outside the safe range.</summary>
    Float,
    /// <summary><c>$type</c> that is not a non-empty string.</summary>
    InvalidType,
    /// <summary>A <c>{"$link"}</c> object with extra keys, a non-string value or a bad CID.</summary>
    InvalidLink,
    /// <summary>A <c>{"$bytes"}</c> object with extra keys, a non-string value or bad base64.</summary>
    InvalidBytes,
    /// <summary>A <c>$type: "blob"</c> object without exactly <c>ref</c> (link), <c>mimeType</c> (string) and <c>size</c> (integer).</summary>
    InvalidBlob,
    /// <summary>The same key twice in one object.</summary>
    DuplicateKey,
    /// <summary>A string that is not valid Unicode (lone surrogate escape).</summary>
    InvalidText,
    /// <summary>An array or object with more entries than <see cref="Cbor.DagCborLimits.DefaultMaxCollectionLength"/>, which the DAG-CBOR reader would refuse.</summary>
    LimitExceeded,
}
