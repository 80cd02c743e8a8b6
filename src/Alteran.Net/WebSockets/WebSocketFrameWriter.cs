using System.Buffers.Binary;

namespace Alteran.Net.WebSockets;

/// <summary>Writes server frame headers (never masked, RFC 6455 section 5.1).</summary>
public static class WebSocketFrameWriter
{
    /// <summary>Largest server header: 2 + 8 length bytes.</summary>
    public const int MaxHeaderLength = 10;

    /// <summary>Header length for a payload of <paramref name="payloadLength"/> bytes.</summary>
    public static int GetHeaderLength(long payloadLength) => payloadLength <= 125 ? 2 : payloadLength <= ushort.MaxValue ? 4 : 10;

    /// <summary>Writes a header into <paramref name="destination"/> (at least <see cref="MaxHeaderLength"/> bytes) and returns its length.</summary>
    public static int WriteHeader(Span<byte> destination, WebSocketOpcode opcode, bool fin, long payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        destination[0] = (byte)((fin ? 0x80 : 0) | (byte)opcode);
        if (payloadLength <= 125)
        {
            destination[1] = (byte)payloadLength;
            return 2;
        }

        if (payloadLength <= ushort.MaxValue)
        {
            destination[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
            return 4;
        }

        destination[1] = 127;
        BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
        return 10;
    }
}
