namespace Alteran.Protocol.Sync;

/// <summary>Why a firehose frame was rejected.</summary>
public enum FirehoseFrameError
{
    /// <summary>The frame ended inside the header or the body.</summary>
    Truncated,
    /// <summary>The header or body is not valid DAG-CBOR (see the inner <see cref="Cbor.DagCborException"/>).</summary>
    InvalidDagCbor,
    /// <summary>Bytes follow the body.</summary>
    TrailingBytes,
    /// <summary>The header is not followed by a body.</summary>
    MissingBody,
    /// <summary>The header is not a map of <c>op</c> (and <c>t</c>), or <c>t</c> is where it must not be.</summary>
    InvalidHeader,
    /// <summary>The header's <c>op</c> is neither 1 nor -1.</summary>
    UnknownOp,
    /// <summary>The header's <c>t</c> names no message type we know.</summary>
    UnknownType,
    /// <summary>The body is not a map.</summary>
    BodyNotMap,
    /// <summary>The body has a field its type does not define.</summary>
    UnknownField,
    /// <summary>A required field is absent.</summary>
    MissingField,
    /// <summary>A field holds the wrong kind of value (e.g. a string where a CID link belongs).</summary>
    WrongFieldType,
    /// <summary>A field's value breaks a rule of the lexicon or of sync v1.1 (e.g. <c>prev</c> on a create, seq ≤ 0).</summary>
    InvalidValue,
    /// <summary>A list or byte string is over its lexicon limit (ops &gt; 200, blocks &gt; 2,000,000 bytes, …).</summary>
    LimitExceeded,
    /// <summary>The <c>blocks</c> field is not a CAR whose first root is the commit.</summary>
    InvalidBlocks,
    /// <summary>The frame is larger than <see cref="FirehoseLimits.MaxFrameBytes"/>.</summary>
    FrameTooLarge,
}
