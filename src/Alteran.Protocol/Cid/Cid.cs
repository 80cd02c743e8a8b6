using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Alteran.Protocol;

/// <summary>
/// A content identifier as atproto uses it: CIDv1, codec DAG-CBOR (0x71) or raw (0x55), hash sha2-256.
/// Binary form (36 bytes): <c>0x01 codec 0x12 0x20 digest[32]</c>. Text form: multibase base32 ('b' + 58 chars).
/// Held inline (no heap), so it can be a dictionary key, an MST entry field or a stack value freely.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Cid : IEquatable<Cid>, IComparable<Cid>
{
    /// <summary>Length of the binary form.</summary>
    public const int ByteLength = 36;

    /// <summary>Length of the text form ('b' + base32 of 36 bytes).</summary>
    public const int StringLength = 59;

    private const byte Version1 = 0x01;
    private const byte Sha256Code = 0x12;
    private const byte Sha256Length = 0x20;

    private readonly Sha256Digest _digest;
    private readonly CidCodec _codec;

    private Cid(CidCodec codec, ReadOnlySpan<byte> digest)
    {
        _codec = codec;
        digest.CopyTo(_digest);
    }

    /// <summary>The codec; <see cref="CidCodec.None"/> for <c>default(Cid)</c>.</summary>
    public CidCodec Codec => _codec;

    /// <summary>True for <c>default(Cid)</c>, which stands for "no CID".</summary>
    public bool IsEmpty => _codec == CidCodec.None;

    /// <summary>The 32-byte sha2-256 digest.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Digest => _digest;

    /// <summary>The CID of <paramref name="data"/> under <paramref name="codec"/>.</summary>
    public static Cid Compute(CidCodec codec, ReadOnlySpan<byte> data)
    {
        if (codec is not (CidCodec.DagCbor or CidCodec.Raw))
            throw new ArgumentOutOfRangeException(nameof(codec));
        Cid cid = default;
        Unsafe.AsRef(in cid._codec) = codec;
        SHA256.HashData(data, Unsafe.AsRef(in cid._digest));
        return cid;
    }

    /// <summary>The CID of a DAG-CBOR block.</summary>
    public static Cid ForDagCbor(ReadOnlySpan<byte> block) => Compute(CidCodec.DagCbor, block);

    /// <summary>The CID of a blob (raw bytes).</summary>
    public static Cid ForRaw(ReadOnlySpan<byte> data) => Compute(CidCodec.Raw, data);

    /// <summary>Builds a CID from a codec and an existing 32-byte digest.</summary>
    public static Cid FromDigest(CidCodec codec, ReadOnlySpan<byte> digest)
    {
        if (codec is not (CidCodec.DagCbor or CidCodec.Raw))
            throw new ArgumentOutOfRangeException(nameof(codec));
        if (digest.Length != 32)
            throw new ArgumentException("A sha2-256 digest is 32 bytes.", nameof(digest));
        return new Cid(codec, digest);
    }

    /// <summary>True when the two CIDs address the same bytes under the same codec.</summary>
    public bool Matches(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(data, hash);
        return hash.SequenceEqual(Digest);
    }

    /// <summary>
    /// Reads a binary CID from the start of <paramref name="source"/>. Only the blessed form is accepted
    /// (v1, dag-cbor or raw, sha2-256 with a 32-byte digest); anything else (CIDv0, other codecs or hashes,
    /// truncation) returns false.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out Cid cid)
    {
        cid = default;
        if (source.Length < ByteLength || source[0] != Version1 || source[2] != Sha256Code || source[3] != Sha256Length)
            return false;
        var codec = (CidCodec)source[1];
        if (codec is not (CidCodec.DagCbor or CidCodec.Raw))
            return false;
        cid = new Cid(codec, source.Slice(4, 32));
        return true;
    }

    /// <summary>Reads exactly one binary CID: <paramref name="source"/> must be 36 bytes.</summary>
    public static bool TryReadExact(ReadOnlySpan<byte> source, out Cid cid)
    {
        if (source.Length != ByteLength)
        {
            cid = default;
            return false;
        }
        return TryRead(source, out cid);
    }

    /// <summary>Reads a binary CID, throwing <see cref="FormatException"/> if it is not a blessed CID.</summary>
    public static Cid Read(ReadOnlySpan<byte> source)
    {
        if (!TryReadExact(source, out var cid))
            throw new FormatException("Not a CIDv1 (dag-cbor or raw, sha2-256) of 36 bytes.");
        return cid;
    }

    /// <summary>Writes the 36-byte binary form.</summary>
    public void WriteTo(Span<byte> destination)
    {
        if (IsEmpty)
            throw new InvalidOperationException("default(Cid) has no binary form.");
        destination = destination[..ByteLength];
        destination[0] = Version1;
        destination[1] = (byte)_codec;
        destination[2] = Sha256Code;
        destination[3] = Sha256Length;
        Digest.CopyTo(destination[4..]);
    }

    /// <summary>The 36-byte binary form in a new array.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[ByteLength];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Writes the text form ('b' + base32); <paramref name="destination"/> must hold <see cref="StringLength"/> chars.</summary>
    public int FormatTo(Span<char> destination)
    {
        Span<byte> bin = stackalloc byte[ByteLength];
        WriteTo(bin);
        destination[0] = 'b';
        return 1 + Base32.Encode(bin, destination[1..]);
    }

    /// <summary>The text form ('b' + base32).</summary>
    public override string ToString()
    {
        if (IsEmpty)
            return "";
        return string.Create(StringLength, this, static (span, cid) => cid.FormatTo(span));
    }

    /// <summary>Parses the text form of a blessed CID (base32 multibase only, as atproto requires).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Cid cid)
    {
        cid = default;
        if (text.Length != StringLength || text[0] != 'b')
            return false;
        Span<byte> bin = stackalloc byte[ByteLength];
        return Base32.TryDecode(text[1..], bin, out int n) && n == ByteLength && TryReadExact(bin, out cid);
    }

    public static Cid Parse(string text) =>
        TryParse(text, out var cid) ? cid : throw new FormatException($"Not a CIDv1 base32 string: '{Truncate(text)}'.");

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "…";

    public bool Equals(Cid other) => _codec == other._codec && Digest.SequenceEqual(other.Digest);

    public override bool Equals(object? obj) => obj is Cid other && Equals(other);

    // The digest is uniformly random, so its first 8 bytes are a good hash.
    public override int GetHashCode() => (int)BinaryPrimitives.ReadUInt64LittleEndian(Digest) ^ (int)_codec;

    /// <summary>Orders by binary form (codec, then digest bytes).</summary>
    public int CompareTo(Cid other)
    {
        int c = ((byte)_codec).CompareTo((byte)other._codec);
        return c != 0 ? c : Digest.SequenceCompareTo(other.Digest);
    }

    public static bool operator ==(Cid left, Cid right) => left.Equals(right);

    public static bool operator !=(Cid left, Cid right) => !left.Equals(right);

    [InlineArray(32)]
    private struct Sha256Digest
    {
        private byte _element0;
    }
}
