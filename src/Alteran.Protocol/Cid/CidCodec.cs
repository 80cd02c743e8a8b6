namespace Alteran.Protocol;

/// <summary>The multicodecs atproto "blesses" for CIDs: DAG-CBOR for data, raw for blobs.</summary>
public enum CidCodec : byte
{
    /// <summary>Not a CID: the value of <c>default(Cid)</c>.</summary>
    None = 0,
    Raw = 0x55,
    DagCbor = 0x71,
}
