using System.Buffers;
using System.Text;
using Alteran.Net.Http;

namespace Alteran.Net.Tests.Http;

public class ChunkedDecoderTests
{
    /// <summary>Decodes <paramref name="input"/> fed in <paramref name="segmentSize"/>-byte pieces, as a pipe would deliver it.</summary>
    private static (byte[] Body, bool Complete) Decode(byte[] input, int segmentSize)
    {
        var decoder = new ChunkedDecoder(1024, 16 * 1024, 64);
        var body = new List<byte>();
        int fed = 0;
        int consumed = 0;
        while (true)
        {
            fed = Math.Min(input.Length, fed + segmentSize);
            var reader = new SequenceReader<byte>(HttpParserTests.Segmented(input[consumed..fed], 1));
            while (!decoder.IsComplete && decoder.TryRead(ref reader, 7, out ReadOnlySequence<byte> data))
            {
                body.AddRange(data.ToArray());
            }

            consumed += (int)reader.Consumed;
            if (decoder.IsComplete || fed == input.Length)
            {
                return (body.ToArray(), decoder.IsComplete);
            }
        }
    }

    private const string Valid = "5\r\nhello\r\n1;ext=1;q=\"x y\"\r\n \r\n10\r\n0123456789abcdef\r\n0\r\nTrailer: yes\r\n\r\n";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(1000)]
    public void DecodesChunksExtensionsAndTrailers(int segmentSize)
    {
        (byte[] body, bool complete) = Decode(Encoding.ASCII.GetBytes(Valid), segmentSize);
        Assert.True(complete);
        Assert.Equal("hello 0123456789abcdef", Encoding.ASCII.GetString(body));
    }

    [Fact]
    public void EveryPrefixIsIncomplete()
    {
        byte[] bytes = Encoding.ASCII.GetBytes(Valid);
        for (int i = 0; i < bytes.Length; i++)
        {
            (_, bool complete) = Decode(bytes[..i], 3);
            Assert.False(complete);
        }
    }

    [Theory]
    [InlineData("5\nhello\r\n0\r\n\r\n")]                     // bare LF after chunk size (CVE-2025-22871)
    [InlineData("5;ext\nhello\r\n0\r\n\r\n")]                 // bare LF ending a chunk extension (CVE-2025-55315)
    [InlineData("5;e\rx\r\nhello\r\n0\r\n\r\n")]              // bare CR inside an extension
    [InlineData("5x\r\nhello\r\n0\r\n\r\n")]                  // junk after the size
    [InlineData("\r\nhello\r\n0\r\n\r\n")]                    // empty size
    [InlineData("-5\r\nhello\r\n0\r\n\r\n")]                  // sign
    [InlineData("10000000000000000\r\n")]                     // 2^64: overflow
    [InlineData("8000000000000000\r\n")]                      // 2^63: overflow
    [InlineData("5\r\nhelloXX0\r\n\r\n")]                     // data not followed by CRLF
    [InlineData("5\r\nhello\n0\r\n\r\n")]                     // data followed by bare LF
    [InlineData("0\r\nTrailer: x\n\r\n")]                     // bare LF in trailer
    [InlineData("0\r\n folded\r\n\r\n")]                      // obs-fold in trailer
    [InlineData("0\r\n\n")]                                   // bare LF ending the trailer section
    public void RejectsMalformedFraming(string input)
    {
        foreach (int size in new[] { 1, 1000 })
        {
            Assert.Throws<BadHttpRequestException>(() => Decode(Encoding.ASCII.GetBytes(input), size));
        }
    }

    [Fact]
    public void ChunkLineLimit()
    {
        string input = "5;" + new string('x', 2000) + "\r\nhello\r\n0\r\n\r\n";
        var ex = Assert.Throws<BadHttpRequestException>(() => Decode(Encoding.ASCII.GetBytes(input), 100));
        Assert.Equal(RequestRejectionReason.ChunkLineTooLong, ex.Reason);
    }

    [Fact]
    public void LargestSizeParses() => Assert.Equal(long.MaxValue, ChunkedDecoder.ParseSizeLine("7fffffffffffffff\r\n"u8));
}
