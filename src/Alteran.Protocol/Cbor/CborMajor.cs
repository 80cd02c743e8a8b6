namespace Alteran.Protocol.Cbor;

/// <summary>CBOR major types (top three bits of the initial byte).</summary>
internal enum CborMajor
{
    Unsigned = 0,
    Negative = 1,
    Bytes = 2,
    Text = 3,
    Array = 4,
    Map = 5,
    Tag = 6,
    Simple = 7,
}
