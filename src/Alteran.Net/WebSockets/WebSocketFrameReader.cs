using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Alteran.Net.WebSockets;

/// <summary>
/// Reads client frame headers strictly: reserved bits must be zero (no extension is negotiated), opcodes must be
/// defined, client frames must be masked, control frames must be final and at most 125 bytes, and lengths must use
/// the shortest encoding with the top bit clear.
/// </summary>
public static class WebSocketFrameReader
{
    /// <summary>Largest header a client can send: 2 + 8 length bytes + 4 mask bytes.</summary>
    public const int MaxHeaderLength = 14;

    /// <summary>
    /// Reads a frame header if all of it is present; returns <see langword="false"/> (reader unmoved) otherwise.
    /// Throws <see cref="WebSocketProtocolException"/> for a malformed header.
    /// </summary>
    public static bool TryReadHeader(ref SequenceReader<byte> reader, out WebSocketFrameHeader header)
    {
        header = default;
        Span<byte> bytes = stackalloc byte[MaxHeaderLength];
        int available = (int)Math.Min(reader.Remaining, MaxHeaderLength);
        if (available < 2 || !reader.TryCopyTo(bytes[..available]))
        {
            return false;
        }

        if (!TryParseHeader(bytes[..available], out header))
        {
            return false;
        }

        reader.Advance(header.HeaderLength);
        return true;
    }

    /// <summary>Span form of <see cref="TryReadHeader"/>.</summary>
    public static bool TryParseHeader(ReadOnlySpan<byte> bytes, out WebSocketFrameHeader header)
    {
        header = default;
        if (bytes.Length < 2)
        {
            return false;
        }

        byte b0 = bytes[0], b1 = bytes[1];
        if ((b0 & 0x70) != 0)
        {
            WebSocketProtocolException.Throw(WebSocketCloseStatus.ProtocolError, "Reserved bits set");
        }

        var opcode = (WebSocketOpcode)(b0 & 0x0F);
        bool fin = (b0 & 0x80) != 0;
        switch (opcode)
        {
            case WebSocketOpcode.Continuation or WebSocketOpcode.Text or WebSocketOpcode.Binary:
                break;
            case WebSocketOpcode.Close or WebSocketOpcode.Ping or WebSocketOpcode.Pong:
                if (!fin || (b1 & 0x7F) > 125)
                {
                    WebSocketProtocolException.Throw(WebSocketCloseStatus.ProtocolError, "Fragmented or oversized control frame");
                }

                break;
            default:
                WebSocketProtocolException.Throw(WebSocketCloseStatus.ProtocolError, "Reserved opcode");
                break;
        }

        bool masked = (b1 & 0x80) != 0;
        if (!masked)
        {
            WebSocketProtocolException.Throw(WebSocketCloseStatus.ProtocolError, "Client frame not masked");
        }

        int len7 = b1 & 0x7F;
        int lengthBytes = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
        int headerLength = 2 + lengthBytes + 4;
        if (bytes.Length < headerLength)
        {
            return false;
        }

        long length = len7;
        if (len7 == 126)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
            if (length < 126)
            {
                WebSocketProtocolException.Throw(WebSocketCloseStatus.ProtocolError, "Non-minimal length");
            }
        }
        else if (len7 == 127)
        {
            ulong l = BinaryPrimitives.ReadUInt64BigEndian(bytes[2..]);
            if (l > long.MaxValue || l <= ushort.MaxValue)
            {
                WebSocketProtocolException.Throw(WebSocketCloseStatus.ProtocolError, "Invalid or non-minimal length");
            }

            length = (long)l;
        }

        uint mask = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(2 + lengthBytes)..]);
        header = new WebSocketFrameHeader(fin, opcode, true, mask, length, headerLength);
        return true;
    }

    /// <summary>
    /// XORs <paramref name="data"/> with the mask, where <paramref name="offset"/> is the position of data[0] within
    /// the frame payload. The key is in wire order read little-endian.
    /// </summary>
    public static void Unmask(Span<byte> data, uint maskKey, long offset)
    {
        int shift = (int)(offset & 3) * 8;
        uint rotated = BitOperations.RotateRight(maskKey, shift);
        ulong mask64 = rotated | ((ulong)rotated << 32);
        int i = 0;
        if (BitConverter.IsLittleEndian && data.Length >= 8)
        {
            Span<ulong> words = MemoryMarshal.Cast<byte, ulong>(data);
            for (int w = 0; w < words.Length; w++)
            {
                words[w] ^= mask64;
            }

            i = words.Length * 8;
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= (byte)(rotated >> ((i & 3) * 8));
        }
    }
}
