using Alteran.Protocol.Cbor;

namespace Alteran.Protocol.Sync;

/// <summary>
/// Reads the first root of a CAR header without allocating, so the encoders can check that a frame's
/// <c>blocks</c> is rooted at its commit on the hot path. (The full CAR reader builds a header object.)
/// </summary>
/// <remarks>CAR v1 header: varint(length) then the DAG-CBOR map <c>{roots: [cid, …], version: 1}</c>.</remarks>
internal static class CarRoot
{
    /// <summary>True if <paramref name="car"/> starts with a well-formed CAR v1 header with at least one root.</summary>
    public static bool TryReadFirst(ReadOnlySpan<byte> car, out Cid root)
    {
        root = default;
        if (Varint.TryRead(car, out ulong length, out int prefix) != VarintStatus.Ok || length > (ulong)(car.Length - prefix))
            return false;
        try
        {
            var reader = new DagCborReader(car.Slice(prefix, (int)length));
            if (reader.PeekKind() != CborKind.Map)
                return false;
            int n = reader.ReadMapHeader();
            bool version1 = false;
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<byte> key = reader.ReadMapKey();
                if (key.SequenceEqual("roots"u8) && reader.PeekKind() == CborKind.Array)
                {
                    int count = reader.ReadArrayHeader();
                    for (int j = 0; j < count; j++)
                    {
                        if (reader.PeekKind() != CborKind.Cid)
                            return false;
                        Cid cid = reader.ReadCid();
                        if (j == 0)
                            root = cid;
                    }
                }
                else if (key.SequenceEqual("version"u8) && reader.PeekKind() == CborKind.Integer)
                {
                    version1 = reader.ReadInt() == 1;
                }
                else
                {
                    return false;
                }
            }
            reader.EnsureEnd();
            return version1 && !root.IsEmpty;
        }
        catch (DagCborException)
        {
            root = default;
            return false;
        }
    }
}
