using System.Buffers;
using Alteran.Protocol.Cbor;

namespace Alteran.Protocol.Car;

/// <summary>
/// Streaming CAR v1 writer over an <see cref="IBufferWriter{T}"/>: the header, then one section per block,
/// each written straight to the output, so a whole repository never has to be in memory. The caller
/// supplies correct CIDs (they are not recomputed) and flushes the underlying writer as it likes between blocks.
/// </summary>
public sealed class CarWriter
{
    // Encoded key/value sizes for the header {roots: [...], version: 1}.
    private const int RootsKeyLength = 6;    // 0x65 "roots"
    private const int VersionEntryLength = 9; // 0x67 "version" 0x01

    private readonly IBufferWriter<byte> _output;
    private bool _headerWritten;

    /// <summary>Creates a writer appending to <paramref name="output"/>.</summary>
    public CarWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>Bytes written so far.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Blocks written so far.</summary>
    public int BlockCount { get; private set; }

    /// <summary>Writes the header <c>{roots, version: 1}</c>. Must be called once, first.</summary>
    public void WriteHeader(ReadOnlySpan<Cid> roots)
    {
        if (_headerWritten)
            throw new InvalidOperationException("The CAR header has already been written.");
        int length = 1 + RootsKeyLength + DagCborWriter.HeaderLength((ulong)roots.Length)
            + roots.Length * DagCborWriter.CidTokenLength + VersionEntryLength;
        Span<byte> prefix = _output.GetSpan(Varint.MaxLength);
        int n = Varint.Write(prefix, (ulong)length);
        _output.Advance(n);

        var writer = new DagCborWriter(_output);
        writer.WriteMapHeader(2);
        writer.WriteText("roots"u8);
        writer.WriteArrayHeader(roots.Length);
        foreach (ref readonly Cid root in roots)
            writer.WriteCid(root);
        writer.WriteText("version"u8);
        writer.WriteInt(1);
        writer.Flush();
        if (writer.BytesWritten != length)
            throw new InvalidOperationException("CAR header length mismatch."); // unreachable unless the sizes above drift
        BytesWritten += n + length;
        _headerWritten = true;
    }

    /// <summary>Writes one block section: varint(36 + length), the binary CID, the block bytes.</summary>
    public void WriteBlock(in Cid cid, ReadOnlySpan<byte> data)
    {
        if (!_headerWritten)
            throw new InvalidOperationException("Write the CAR header first.");
        if (cid.IsEmpty)
            throw new ArgumentException("default(Cid) cannot be written.", nameof(cid));
        ulong sectionLength = (ulong)(Cid.ByteLength + data.Length);
        int prefixLength = Varint.GetLength(sectionLength) + Cid.ByteLength;
        Span<byte> span = _output.GetSpan(prefixLength + data.Length);
        int n = Varint.Write(span, sectionLength);
        cid.WriteTo(span.Slice(n, Cid.ByteLength));
        if (span.Length >= prefixLength + data.Length)
        {
            data.CopyTo(span[prefixLength..]);
            _output.Advance(prefixLength + data.Length);
        }
        else
        {
            // Output hands out smaller spans than asked for (bounded segments): copy the data in chunks.
            _output.Advance(prefixLength);
            while (!data.IsEmpty)
            {
                Span<byte> chunk = _output.GetSpan(1);
                int c = Math.Min(chunk.Length, data.Length);
                data[..c].CopyTo(chunk);
                _output.Advance(c);
                data = data[c..];
            }
        }
        BytesWritten += prefixLength + (long)(sectionLength - Cid.ByteLength);
        BlockCount++;
    }
}
