using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Alteran.Protocol.Cbor;

namespace Alteran.Protocol.Car;

/// <summary>
/// CAR v1 layout shared by the readers and the writer:
/// <c>varint(len) header</c>, then sections <c>varint(len) cid(36) data(len - 36)</c> until the end.
/// </summary>
internal static class CarFormat
{
    /// <summary>
    /// Reads a section-length varint from <paramref name="peek"/> (up to 9 available bytes).
    /// Returns false if more bytes are needed; throws if the varint is malformed.
    /// </summary>
    public static bool TryReadLength(ReadOnlySpan<byte> peek, out ulong length, out int varintLength)
    {
        switch (Varint.TryRead(peek, out length, out varintLength))
        {
            case VarintStatus.Ok:
                return true;
            case VarintStatus.NeedMore:
                return false;
            default:
                Throw(CarError.InvalidVarint, "A section length varint is over-long or not minimal.");
                return false;
        }
    }

    /// <summary>Checks a header length before any of it is buffered.</summary>
    public static void CheckHeaderLength(ulong length, in CarReaderOptions options)
    {
        if (length == 0)
            Throw(CarError.EmptySection, "The CAR header has length zero.");
        if (length > (ulong)options.MaxHeaderLength)
            Throw(CarError.HeaderTooLarge, $"The CAR header declares {length} bytes (limit {options.MaxHeaderLength}).");
    }

    /// <summary>Checks a section length before any of it is buffered.</summary>
    public static void CheckSectionLength(ulong length, in CarReaderOptions options)
    {
        if (length == 0)
            Throw(CarError.EmptySection, "A CAR section has length zero.");
        if (length < Cid.ByteLength)
            Throw(CarError.InvalidCid, "A CAR section is too short to hold a CID.");
        if (length - Cid.ByteLength > (ulong)options.MaxBlockLength)
            Throw(CarError.BlockTooLarge, $"A CAR block declares {length - Cid.ByteLength} bytes (limit {options.MaxBlockLength}).");
    }

    /// <summary>Parses the header block: exactly <c>{roots: [cid…], version: 1}</c> in canonical DAG-CBOR.</summary>
    public static CarHeader ParseHeader(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = new DagCborReader(bytes);
            if (reader.PeekKind() != CborKind.Map || reader.ReadMapHeader() != 2)
                Throw(CarError.InvalidHeader, "The CAR header must be a map of exactly roots and version.");
            // Canonical order puts "roots" (5 bytes) before "version" (7 bytes); the reader enforces the order.
            if (!reader.ReadMapKey().SequenceEqual("roots"u8) || reader.PeekKind() != CborKind.Array)
                Throw(CarError.InvalidHeader, "The CAR header must have a roots array.");
            int n = reader.ReadArrayHeader();
            var roots = new Cid[n]; // n ≤ header length (≤ MaxHeaderLength), checked by the reader
            for (int i = 0; i < n; i++)
            {
                if (reader.PeekKind() != CborKind.Cid)
                    Throw(CarError.InvalidHeader, "CAR roots must be CIDs.");
                roots[i] = reader.ReadCid();
            }
            if (!reader.ReadMapKey().SequenceEqual("version"u8) || reader.PeekKind() != CborKind.Integer || reader.ReadInt() != 1)
                Throw(CarError.InvalidHeader, "The CAR header must have version 1.");
            reader.EnsureEnd();
            return new CarHeader(roots);
        }
        catch (DagCborException e)
        {
            throw new CarException(CarError.InvalidHeader, "The CAR header is not canonical DAG-CBOR: " + e.Message, e);
        }
    }

    /// <summary>Reads the CID at the start of a section.</summary>
    public static Cid ReadSectionCid(ReadOnlySpan<byte> cidBytes)
    {
        if (!Cid.TryRead(cidBytes, out Cid cid))
            Throw(CarError.InvalidCid, "A CAR section does not start with a CIDv1 (dag-cbor or raw, sha2-256).");
        return cid;
    }

    /// <summary>Checks a contiguous block against its CID (and optionally its DAG-CBOR validity).</summary>
    public static void VerifyBlock(in Cid cid, ReadOnlySpan<byte> data, in CarReaderOptions options)
    {
        if (!options.SkipHashVerification)
        {
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(data, hash);
            if (!hash.SequenceEqual(cid.Digest))
                Throw(CarError.HashMismatch, $"Block {cid} does not match its hash.");
        }
        if (options.ValidateDagCbor && cid.Codec == CidCodec.DagCbor)
        {
            try
            {
                DagCbor.Validate(data);
            }
            catch (DagCborException e)
            {
                throw new CarException(CarError.InvalidBlock, $"Block {cid} is not valid DAG-CBOR: {e.Message}", e);
            }
        }
    }

    [DoesNotReturn]
    public static void Throw(CarError error, string message) => throw new CarException(error, message);
}
