using System.Text;
using Alteran.Net.Identity.Dns;

namespace Alteran.Net.Tests.Identity;

/// <summary>The strict DNS TXT query writer and response parser: valid shapes, then every kind of broken input.</summary>
public sealed class DnsMessageTests
{
    private const ushort Id = 0xBEEF;
    private const string QName = "_atproto.bob.example.com";

    /// <summary>Byte-level message builder (big-endian), so tests can write any malformed shape.</summary>
    private sealed class Msg
    {
        public readonly List<byte> Bytes = [];
        public int Position => Bytes.Count;
        public Msg U8(int v) { Bytes.Add((byte)v); return this; }
        public Msg U16(int v) { Bytes.Add((byte)(v >> 8)); Bytes.Add((byte)v); return this; }
        public Msg U32(uint v) { U16((int)(v >> 16)); return U16((int)(v & 0xFFFF)); }
        public Msg Raw(byte[] b) { Bytes.AddRange(b); return this; }
        public Msg Name(string n, bool terminate = true)
        {
            foreach (string label in n.Split('.'))
                U8(label.Length).Raw(Encoding.ASCII.GetBytes(label));
            return terminate ? U8(0) : this;
        }
        public Msg Pointer(int offset) => U16(0xC000 | offset);
        public Msg Header(int flags = 0x8180, int qd = 1, int an = 0, ushort id = Id) => U16(id).U16(flags).U16(qd).U16(an).U16(0).U16(0);
        public Msg Question(string n = QName) => Name(n).U16(16).U16(1);
        public Msg RecordHead(int type, int rdLength, uint ttl = 300) => U16(type).U16(1).U32(ttl).U16(rdLength);
        public Msg Txt(params string[] strings)
        {
            byte[][] raw = strings.Select(Encoding.UTF8.GetBytes).ToArray();
            RecordHead(16, raw.Sum(s => s.Length + 1));
            foreach (byte[] s in raw)
                U8(s.Length).Raw(s);
            return this;
        }
        public byte[] ToArray() => Bytes.ToArray();
    }

    private static byte[] ValidCompressed()
    {
        var m = new Msg().Header(an: 3).Question();
        int questionName = 12;
        m.Pointer(questionName).Txt("did=did:plc:abc", "def");      // two character-strings, joined
        m.Pointer(questionName).Txt("v=spf1 -all");                 // unrelated TXT, returned, ignored by the caller
        m.U8(3).Raw("www"u8.ToArray()).Pointer(questionName + 9).Txt("not ours"); // www.bob.example.com: other owner
        return m.ToArray();
    }

    [Fact]
    public void WriteTxtQuery_EncodesOneQuestionWithEdns()
    {
        byte[] buffer = new byte[DnsMessage.MaxQueryLength];
        int length = DnsMessage.WriteTxtQuery(buffer, Id, QName);
        byte[] expectedName = new Msg().Name(QName).ToArray();
        Assert.Equal(12 + expectedName.Length + 4 + 11, length);
        Assert.Equal(new byte[] { 0xBE, 0xEF, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1 }, buffer[..12]);
        Assert.Equal(expectedName, buffer[12..(12 + expectedName.Length)]);
        Assert.Equal(new byte[] { 0, 16, 0, 1 }, buffer[(12 + expectedName.Length)..(16 + expectedName.Length)]);
        Assert.Equal(new byte[] { 0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0 }, buffer[(16 + expectedName.Length)..length]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a..b")]
    [InlineData(".a")]
    [InlineData("a.")]
    [InlineData("b\u00e9.com")]
    [InlineData("a b.com")]
    public void WriteTxtQuery_RefusesUnencodableNames(string name)
    {
        byte[] buffer = new byte[DnsMessage.MaxQueryLength];
        Assert.Throws<ArgumentException>(() => DnsMessage.WriteTxtQuery(buffer, Id, name));
    }

    [Fact]
    public void WriteTxtQuery_RefusesLongLabelsAndNames()
    {
        byte[] buffer = new byte[DnsMessage.MaxQueryLength];
        Assert.Throws<ArgumentException>(() => DnsMessage.WriteTxtQuery(buffer, Id, new string('a', 64) + ".com"));
        string name253 = string.Join('.', Enumerable.Repeat(new string('a', 62), 4)) + ".a"; // 4*63 + 1 = 253 chars
        Assert.Equal(253, name253.Length);
        DnsMessage.WriteTxtQuery(buffer, Id, name253); // 255 bytes encoded: the limit
        Assert.Throws<ArgumentException>(() => DnsMessage.WriteTxtQuery(buffer, Id, name253 + "a"));
    }

    [Fact]
    public void Parse_CompressedAnswer_JoinsStringsAndKeepsOnlyRecordsOfTheName()
    {
        DnsTxtAnswer answer = DnsMessage.ParseTxtResponse(ValidCompressed(), Id, QName);
        Assert.Equal(DnsResponseCode.NoError, answer.ResponseCode);
        Assert.False(answer.Truncated);
        Assert.Equal(["did=did:plc:abcdef", "v=spf1 -all"], answer.Records);
        Assert.Equal(300u, answer.MinTtlSeconds);
    }

    [Fact]
    public void Parse_QuestionNameIsCaseInsensitive()
    {
        byte[] message = new Msg().Header(an: 1).Question("_ATPROTO.Bob.Example.COM").Pointer(12).Txt("did=did:web:x.com").ToArray();
        Assert.Equal(["did=did:web:x.com"], DnsMessage.ParseTxtResponse(message, Id, QName).Records);
    }

    [Fact]
    public void Parse_FollowsCnameChainInTheAnswer()
    {
        var m = new Msg().Header(an: 3).Question();
        int targetOffset = -1;
        m.Pointer(12).RecordHead(5, "target.example.net".Length + 2);
        targetOffset = m.Position;
        m.Name("target.example.net");
        m.Pointer(targetOffset).Txt("did=did:plc:target");
        m.Name("other.example.net").Txt("did=did:plc:other"); // not in the chain
        DnsTxtAnswer answer = DnsMessage.ParseTxtResponse(m.ToArray(), Id, QName);
        Assert.Equal(["did=did:plc:target"], answer.Records);
    }

    [Fact]
    public void Parse_NxDomainAndTruncationAreReported()
    {
        DnsTxtAnswer nx = DnsMessage.ParseTxtResponse(new Msg().Header(flags: 0x8183).Question().ToArray(), Id, QName);
        Assert.Equal(DnsResponseCode.NameError, nx.ResponseCode);
        Assert.Empty(nx.Records);
        DnsTxtAnswer formErr = DnsMessage.ParseTxtResponse(new Msg().Header(flags: 0x8181, qd: 0).ToArray(), Id, QName);
        Assert.Equal(DnsResponseCode.FormatError, formErr.ResponseCode);
        // TC set: the (partial) answers are not read at all, even if garbage follows.
        byte[] tc = new Msg().Header(flags: 0x8380, an: 5).Question().Raw([0xFF, 0xFF]).ToArray();
        Assert.True(DnsMessage.ParseTxtResponse(tc, Id, QName).Truncated);
    }

    [Fact]
    public void Parse_RefusesOtherIdsQuestionsAndQueries()
    {
        byte[] valid = ValidCompressed();
        Assert.Throws<DnsFormatException>(() => DnsMessage.ParseTxtResponse(valid, (ushort)(Id + 1), QName));
        Assert.Throws<DnsFormatException>(() => DnsMessage.ParseTxtResponse(valid, Id, "_atproto.alice.example.com"));
        Assert.Throws<DnsFormatException>(() => DnsMessage.ParseTxtResponse(new Msg().Header(flags: 0x0100).Question().ToArray(), Id, QName)); // QR=0
        Assert.Throws<DnsFormatException>(() => DnsMessage.ParseTxtResponse(new Msg().Header(flags: 0x8980).Question().ToArray(), Id, QName)); // opcode 1
        Assert.Throws<DnsFormatException>(() => DnsMessage.ParseTxtResponse(new Msg().Header(qd: 2).Question().Question().ToArray(), Id, QName));
        Assert.Throws<DnsFormatException>(() => DnsMessage.ParseTxtResponse(new Msg().Header().Name(QName).U16(1).U16(1).ToArray(), Id, QName)); // type A
    }

    [Fact]
    public void Parse_EveryPrefixOfAValidMessageFailsCleanly()
    {
        byte[] valid = ValidCompressed();
        for (int length = 0; length < valid.Length; length++)
        {
            // Either a clean format error, or (only where the cut falls between records) never a wrong answer.
            Assert.Throws<DnsFormatException>(() => DnsMessage.ParseTxtResponse(valid.AsSpan(0, length), Id, QName));
        }
    }

    [Fact]
    public void Parse_RefusesCompressionLoopsAndForwardPointers()
    {
        // Question name is a pointer to itself.
        byte[] self = new Msg().Header().Pointer(12).U16(16).U16(1).ToArray();
        Assert.Throws<DnsFormatException>(() => DnsMessage.ParseTxtResponse(self, Id, QName));
        // Answer owner: label then a pointer back to its own label (a cycle through a backwards pointer).
        var cycle = new Msg().Header(an: 1).Question();
        int start = cycle.Position;
        cycle.U8(1).Raw("a"u8.ToArray()).Pointer(start).Txt("x");
        Assert.Throws<DnsFormatException>(() => DnsMessage.ParseTxtResponse(cycle.ToArray(), Id, QName));
        // Two pointers that point at each other.
        var pair = new Msg().Header(an: 2).Question();
        int first = pair.Position;
        pair.Pointer(first + 2 + 10 + 2).Txt("x"); // forward to the second record's owner
        pair.Pointer(first).Txt("y");
        Assert.Throws<DnsFormatException>(() => DnsMessage.ParseTxtResponse(pair.ToArray(), Id, QName));
        // A pointer past the end.
        byte[] past = new Msg().Header(an: 1).Question().Pointer(0x3FFF).Txt("x").ToArray();
        Assert.Throws<DnsFormatException>(() => DnsMessage.ParseTxtResponse(past, Id, QName));
    }

    [Fact]
    public void Parse_RefusesLongNamesReservedLabelTypesAndTooManyAnswers()
    {
        // Owner names built from backwards pointers, each adding a 63-byte label: the 4th is over 255 bytes.
        var chain = new Msg().Header(an: 5).Question();
        int previous = -1;
        for (int i = 0; i < 5; i++)
        {
            int here = chain.Position;
            chain.U8(63).Raw(Encoding.ASCII.GetBytes(new string((char)('a' + i), 63)));
            if (previous < 0)
                chain.U8(0);
            else
                chain.Pointer(previous);
            chain.RecordHead(99, 0);
            previous = here;
        }
        Assert.Throws<DnsFormatException>(() => DnsMessage.ParseTxtResponse(chain.ToArray(), Id, QName));

        byte[] extended = new Msg().Header(an: 1).Question().U8(0x41).U8(0).Txt("x").ToArray(); // 0b01 label type
        Assert.Throws<DnsFormatException>(() => DnsMessage.ParseTxtResponse(extended, Id, QName));

        var many = new Msg().Header(an: DnsMessage.MaxAnswerRecords + 1).Question();
        for (int i = 0; i <= DnsMessage.MaxAnswerRecords; i++)
            many.Pointer(12).Txt("x");
        Assert.Throws<DnsFormatException>(() => DnsMessage.ParseTxtResponse(many.ToArray(), Id, QName));
    }

    [Fact]
    public void Parse_RefusesInconsistentRecordLengths()
    {
        // RDLENGTH past the end (declared 60000, only a few bytes present): no allocation of the declared size.
        byte[] rdPast = new Msg().Header(an: 1).Question().Pointer(12).RecordHead(16, 60000).U8(1).Raw("x"u8.ToArray()).ToArray();
        Assert.Throws<DnsFormatException>(() => DnsMessage.ParseTxtResponse(rdPast, Id, QName));
        // A character-string longer than its record.
        byte[] strPast = new Msg().Header(an: 1).Question().Pointer(12).RecordHead(16, 3).U8(10).Raw("ab"u8.ToArray()).ToArray();
        Assert.Throws<DnsFormatException>(() => DnsMessage.ParseTxtResponse(strPast, Id, QName));
        // An empty TXT record.
        byte[] empty = new Msg().Header(an: 1).Question().Pointer(12).RecordHead(16, 0).ToArray();
        Assert.Throws<DnsFormatException>(() => DnsMessage.ParseTxtResponse(empty, Id, QName));
        // CNAME data with trailing bytes.
        byte[] cname = new Msg().Header(an: 1).Question().Pointer(12).RecordHead(5, 4).Pointer(12).U16(0).ToArray();
        Assert.Throws<DnsFormatException>(() => DnsMessage.ParseTxtResponse(cname, Id, QName));
    }

    [Fact]
    public void Parse_LabelWithDotOrBinaryNeverMatchesAHostName()
    {
        // One label "_atproto.bob" (dot inside the label) + "example.com": same text, different name.
        var m = new Msg().Header().U8(12).Raw("_atproto.bob"u8.ToArray()).Name("example.com").U16(16).U16(1);
        Assert.Throws<DnsFormatException>(() => DnsMessage.ParseTxtResponse(m.ToArray(), Id, QName));
    }

    [Fact]
    public void Parse_RandomMutationsOnlyEverThrowDnsFormatException()
    {
        byte[] valid = ValidCompressed();
        var random = new Random(4242);
        for (int i = 0; i < 20_000; i++)
        {
            byte[] mutated = (byte[])valid.Clone();
            int flips = random.Next(1, 6);
            for (int f = 0; f < flips; f++)
                mutated[random.Next(2, mutated.Length)] = (byte)random.Next(256); // keep the ID
            try
            {
                DnsTxtAnswer answer = DnsMessage.ParseTxtResponse(mutated, Id, QName);
                Assert.True(answer.Records.Count <= DnsMessage.MaxAnswerRecords);
            }
            catch (DnsFormatException)
            {
            }
        }
    }
}
