using System.Buffers;
using Alteran.Net.WebSockets;

namespace Alteran.Net.Tests.WebSockets;

public class WebSocketFrameTests
{
    internal static byte[] ClientFrame(byte first, byte[] payload, bool masked = true, byte[]? mask = null, int forceLen = -1)
    {
        mask ??= [0x11, 0x22, 0x33, 0x44];
        var bytes = new List<byte> { first };
        int len = forceLen >= 0 ? forceLen : payload.Length;
        byte m = masked ? (byte)0x80 : (byte)0;
        if (len <= 125 && forceLen < 126)
        {
            bytes.Add((byte)(m | len));
        }
        else if (len <= ushort.MaxValue)
        {
            bytes.Add((byte)(m | 126));
            bytes.Add((byte)(len >> 8));
            bytes.Add((byte)len);
        }
        else
        {
            bytes.Add((byte)(m | 127));
            for (int i = 7; i >= 0; i--)
            {
                bytes.Add((byte)((long)len >> (i * 8)));
            }
        }

        if (masked)
        {
            bytes.AddRange(mask);
        }

        for (int i = 0; i < payload.Length; i++)
        {
            bytes.Add(masked ? (byte)(payload[i] ^ mask[i % 4]) : payload[i]);
        }

        return [.. bytes];
    }

    [Fact]
    public void ReadsMaskedHeaderAndUnmasks()
    {
        byte[] payload = new byte[300];
        Random.Shared.NextBytes(payload);
        byte[] frame = ClientFrame(0x82, payload);
        for (int i = 0; i < 4; i++)
        {
            var partial = new SequenceReader<byte>(new ReadOnlySequence<byte>(frame, 0, i));
            Assert.False(WebSocketFrameReader.TryReadHeader(ref partial, out _));
        }

        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(frame));
        Assert.True(WebSocketFrameReader.TryReadHeader(ref reader, out WebSocketFrameHeader h));
        Assert.True(h.Fin);
        Assert.Equal(WebSocketOpcode.Binary, h.Opcode);
        Assert.Equal(300, h.PayloadLength);
        Assert.Equal(8, h.HeaderLength);

        // Unmask in pieces at odd offsets: the result must not depend on how the payload was split.
        byte[] data = frame[8..];
        int offset = 0;
        foreach (int piece in new[] { 1, 3, 17, 200, 79 })
        {
            WebSocketFrameReader.Unmask(data.AsSpan(offset, piece), h.MaskKey, offset);
            offset += piece;
        }

        Assert.Equal(payload, data);
    }

    [Theory]
    [InlineData(new byte[] { 0xC2, 0x80, 1, 2, 3, 4 })]        // RSV1 set
    [InlineData(new byte[] { 0x83, 0x80, 1, 2, 3, 4 })]        // reserved data opcode
    [InlineData(new byte[] { 0x8B, 0x80, 1, 2, 3, 4 })]        // reserved control opcode
    [InlineData(new byte[] { 0x82, 0x00 })]                    // unmasked client frame
    [InlineData(new byte[] { 0x09, 0x80, 1, 2, 3, 4 })]        // fragmented ping
    [InlineData(new byte[] { 0x89, 0xFE, 0, 126, 1, 2, 3, 4 })] // control frame over 125 bytes
    [InlineData(new byte[] { 0x82, 0xFE, 0, 5, 1, 2, 3, 4 })]  // non-minimal 16-bit length
    [InlineData(new byte[] { 0x82, 0xFF, 0, 0, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4 })] // non-minimal 64-bit length
    [InlineData(new byte[] { 0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4 })] // top bit of 64-bit length
    public void RejectsProtocolViolations(byte[] frame)
    {
        var ex = Assert.Throws<WebSocketProtocolException>(() =>
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(frame));
            WebSocketFrameReader.TryReadHeader(ref reader, out _);
        });
        Assert.Equal(WebSocketCloseStatus.ProtocolError, ex.CloseStatus);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(125, 2)]
    [InlineData(126, 4)]
    [InlineData(65535, 4)]
    [InlineData(65536, 10)]
    [InlineData(5_000_000, 10)]
    public void WritesShortestHeader(long length, int expected)
    {
        Span<byte> header = stackalloc byte[WebSocketFrameWriter.MaxHeaderLength];
        int n = WebSocketFrameWriter.WriteHeader(header, WebSocketOpcode.Binary, true, length);
        Assert.Equal(expected, n);
        Assert.Equal(expected, WebSocketFrameWriter.GetHeaderLength(length));
        Assert.Equal(0x82, header[0]);
        Assert.Equal(0, header[1] & 0x80); // server frames are never masked
        long decoded = header[1] switch
        {
            126 => (header[2] << 8) | header[3],
            127 => (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(header[2..]),
            _ => header[1],
        };
        Assert.Equal(length, decoded);
    }

    [Theory]
    [InlineData(1000, true)]
    [InlineData(1003, true)]
    [InlineData(1004, false)]
    [InlineData(1005, false)]
    [InlineData(1006, false)]
    [InlineData(1007, true)]
    [InlineData(1015, false)]
    [InlineData(2999, false)]
    [InlineData(3000, true)]
    [InlineData(4999, true)]
    [InlineData(5000, false)]
    [InlineData(0, false)]
    public void ValidatesCloseCodes(int code, bool valid) => Assert.Equal(valid, WebSocketCloseCodes.IsValidOnWire(code));
}
