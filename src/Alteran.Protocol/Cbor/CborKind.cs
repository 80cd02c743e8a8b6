namespace Alteran.Protocol.Cbor;

/// <summary>The kinds of value the atproto data model allows in DAG-CBOR.</summary>
public enum CborKind
{
    Integer,
    Bytes,
    Text,
    Array,
    Map,
    Bool,
    Null,
    Cid,
}
