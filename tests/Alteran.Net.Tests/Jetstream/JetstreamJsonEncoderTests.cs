using System.Buffers;
using System.Text;
using System.Text.Json;
using Alteran.Net.Jetstream;
using Alteran.Protocol;
using static Alteran.Net.Tests.Jetstream.JetstreamTestData;

namespace Alteran.Net.Tests.Jetstream;

public sealed class JetstreamJsonEncoderTests
{
    [Fact]
    public void EscapesOnlyWhatJsonRequires()
    {
        JetstreamJsonEncoder encoder = JetstreamJsonEncoder.Instance;
        Assert.Equal("a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i\\u001Fj 😀 ☀️ <>&'+ \u2028 é", encoder.Encode("a\"b\\c\nd\re\tf\bg\fh\u0001i\u001Fj 😀 ☀️ <>&'+ \u2028 é"));
    }

    [Fact]
    public void RecordText_IsWrittenRaw_ExceptRequiredEscapes()
    {
        (byte[] block, Cid cid) = Record("{\"text\":\"hi 😀\\n\\\"x\\\" \\u0007 </b>\"}");
        using var encoder = new JetstreamEncoder();
        string json = Utf8(encoder.EncodeCommit(new JetstreamCommit
        {
            Did = Did, TimeUs = 1, Rev = Rev, Operation = JetstreamOperation.Create,
            Collection = "a.b.c", RecordKey = "k", Record = block, Cid = cid,
        }));
        Assert.Contains("\"record\":{\"text\":\"hi 😀\\n\\\"x\\\" \\u0007 </b>\"}", json);
    }

    [Fact]
    public void FindFirst_ReportsSpecialsAndInvalidSequences()
    {
        JetstreamJsonEncoder encoder = JetstreamJsonEncoder.Instance;
        Assert.Equal(-1, encoder.FindFirstCharacterToEncodeUtf8("plain ascii and 😀 é"u8));
        Assert.Equal(3, encoder.FindFirstCharacterToEncodeUtf8("abc\"d"u8));
        Assert.Equal(2, encoder.FindFirstCharacterToEncodeUtf8([(byte)'a', (byte)'b', 0xFF, (byte)'c', (byte)'"']));
        Assert.Equal(1, encoder.FindFirstCharacterToEncodeUtf8([(byte)'a', 0xF0, 0x9F]));  // truncated 4-byte sequence
        Assert.Equal(5, encoder.FindFirstCharacterToEncodeUtf8([(byte)'a', 0xF0, 0x9F, 0x98, 0x80, (byte)'\\']));
    }

    [Fact]
    public void LoneSurrogateInOurStrings_Throws()
    {
        using var encoder = new JetstreamEncoder();
        Assert.ThrowsAny<ArgumentException>(() => encoder.EncodeIdentity(new JetstreamIdentity
        {
            Did = "did:plc:\uD800", TimeUs = 1, Seq = 1, Time = "t",
        }));
        // And the encoder recovers.
        var output = new ArrayBufferWriter<byte>();
        encoder.EncodeIdentity(new JetstreamIdentity { Did = "did:web:a.b", TimeUs = 1, Seq = 1, Time = "t" }, output);
        using JsonDocument doc = JsonDocument.Parse(output.WrittenMemory);
        Assert.Equal("did:web:a.b", doc.RootElement.GetProperty("did").GetString());
    }

    [Fact]
    public void LongStrings_UsePooledTranscoding()
    {
        string did = "did:web:" + new string('a', 1000) + ".example.com";
        string handle = new string('é', 300) + ".test";
        using var encoder = new JetstreamEncoder();
        string json = Utf8(encoder.EncodeIdentity(new JetstreamIdentity { Did = did, TimeUs = 1, Handle = handle, Seq = 1, Time = "t" }));
        using JsonDocument doc = JsonDocument.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Equal(did, doc.RootElement.GetProperty("did").GetString());
        Assert.Equal(handle, doc.RootElement.GetProperty("identity").GetProperty("handle").GetString());
    }
}
