using System.Buffers.Binary;
using System.Text;

namespace Alteran.Net.Identity.Dns;

/// <summary>
/// The two DNS messages we handle (RFC 1035): a one-question TXT query, and its response, parsed strictly. The
/// response must echo our ID and our one question; names may be compressed, but every compression pointer must
/// point strictly backwards (so a name cannot loop) and a name is at most 255 bytes. Counts and lengths are checked
/// against the bytes actually received, never trusted for allocation.
/// </summary>
public static class DnsMessage
{
    /// <summary>Fixed header length.</summary>
    public const int HeaderLength = 12;
    /// <summary>Longest encoded name (RFC 1035 §2.3.4).</summary>
    public const int MaxNameLength = 255;
    /// <summary>Longest label.</summary>
    public const int MaxLabelLength = 63;
    /// <summary>Longest query we build: header, name, type/class, EDNS0 OPT record.</summary>
    public const int MaxQueryLength = HeaderLength + MaxNameLength + 4 + OptRecordLength;
    /// <summary>Most answer records we look at; more is refused as hostile (a real _atproto answer has a handful).</summary>
    public const int MaxAnswerRecords = 64;
    /// <summary>UDP payload size advertised with EDNS0 (the DNS flag-day 2020 value).</summary>
    public const ushort EdnsUdpPayload = 1232;

    /// <summary>TXT RR type.</summary>
    public const ushort TypeTxt = 16;
    /// <summary>CNAME RR type.</summary>
    public const ushort TypeCname = 5;
    /// <summary>OPT pseudo-RR type (EDNS0).</summary>
    public const ushort TypeOpt = 41;
    /// <summary>Internet class.</summary>
    public const ushort ClassIn = 1;

    private const int OptRecordLength = 11;
    private const int MaxCnameChain = 8;
    private const int MaxPointerJumps = 64;

    /// <summary>
    /// Writes a recursive TXT query for <paramref name="name"/> (dotted host name, no trailing dot) with an EDNS0 OPT
    /// record, and returns its length.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not encodable (empty label, label over 63 bytes, non-ASCII, too long).</exception>
    public static int WriteTxtQuery(Span<byte> destination, ushort id, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (destination.Length < MaxQueryLength)
            throw new ArgumentException("Destination too small for a query", nameof(destination));
        BinaryPrimitives.WriteUInt16BigEndian(destination, id);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0x0100); // RD: recursion desired
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], 1);      // QDCOUNT
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], 0);      // ANCOUNT
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], 0);      // NSCOUNT
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], 1);     // ARCOUNT: the OPT record
        int pos = HeaderLength;
        int labelStart = 0;
        for (int i = 0; i <= name.Length; i++)
        {
            if (i < name.Length && name[i] != '.')
            {
                if (name[i] > 0x7E || name[i] <= 0x20)
                    throw new ArgumentException("DNS name must be printable ASCII", nameof(name));
                continue;
            }
            int length = i - labelStart;
            if (length is 0 or > MaxLabelLength)
                throw new ArgumentException("DNS label must be 1 to 63 bytes", nameof(name));
            destination[pos++] = (byte)length;
            for (int j = labelStart; j < i; j++)
                destination[pos++] = (byte)name[j];
            labelStart = i + 1;
        }
        destination[pos++] = 0;
        if (pos - HeaderLength > MaxNameLength)
            throw new ArgumentException("DNS name longer than 255 bytes", nameof(name));
        BinaryPrimitives.WriteUInt16BigEndian(destination[pos..], TypeTxt);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(pos + 2)..], ClassIn);
        pos += 4;
        // OPT: root name, type 41, class = UDP payload size, TTL 0 (no DO bit), RDLEN 0.
        destination[pos] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[(pos + 1)..], TypeOpt);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(pos + 3)..], EdnsUdpPayload);
        BinaryPrimitives.WriteUInt32BigEndian(destination[(pos + 5)..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(pos + 9)..], 0);
        return pos + OptRecordLength;
    }

    /// <summary>Reads the ID of a message (0 when shorter than a header).</summary>
    public static ushort ReadId(ReadOnlySpan<byte> message) =>
        message.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(message) : (ushort)0;

    /// <summary>
    /// Parses the response to our TXT query for <paramref name="name"/> with ID <paramref name="id"/>. The authority
    /// and additional sections are not read.
    /// </summary>
    /// <exception cref="DnsFormatException">Malformed, not a response to this question, or over a limit.</exception>
    public static DnsTxtAnswer ParseTxtResponse(ReadOnlySpan<byte> message, ushort id, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (message.Length < HeaderLength)
            throw new DnsFormatException("DNS response shorter than its header");
        if (BinaryPrimitives.ReadUInt16BigEndian(message) != id)
            throw new DnsFormatException("DNS response ID does not match the query");
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        if ((flags & 0x8000) == 0)
            throw new DnsFormatException("DNS message is not a response");
        if (((flags >> 11) & 0xF) != 0)
            throw new DnsFormatException("DNS response has an unexpected opcode");
        var rcode = (DnsResponseCode)(flags & 0xF);
        bool truncated = (flags & 0x0200) != 0;
        int qdCount = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        int anCount = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);

        // A server that could not parse the query may send no question back; it answers nothing either way.
        if (qdCount == 0 && rcode != DnsResponseCode.NoError)
            return new DnsTxtAnswer { ResponseCode = rcode, Truncated = truncated };
        if (qdCount != 1)
            throw new DnsFormatException("DNS response must echo exactly one question");

        Span<char> owner = stackalloc char[MaxNameLength];
        int pos = HeaderLength;
        int ownerLength = ReadName(message, ref pos, owner);
        if (!NameEquals(owner[..ownerLength], name))
            throw new DnsFormatException("DNS response question does not match the query");
        if (message.Length - pos < 4)
            throw new DnsFormatException("DNS question truncated");
        if (BinaryPrimitives.ReadUInt16BigEndian(message[pos..]) != TypeTxt || BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 2)..]) != ClassIn)
            throw new DnsFormatException("DNS response question is not TXT/IN");
        pos += 4;

        if (truncated || rcode != DnsResponseCode.NoError)
            return new DnsTxtAnswer { ResponseCode = rcode, Truncated = truncated };
        if (anCount > MaxAnswerRecords)
            throw new DnsFormatException($"DNS response has more than {MaxAnswerRecords} answers");

        // The names whose TXT records count: the query name and the CNAME chain from it, in answer order.
        var chain = new List<string>(2) { name };
        var records = new List<string>();
        uint minTtl = uint.MaxValue;
        Span<char> target = stackalloc char[MaxNameLength];
        for (int i = 0; i < anCount; i++)
        {
            ownerLength = ReadName(message, ref pos, owner);
            if (message.Length - pos < 10)
                throw new DnsFormatException("DNS resource record truncated");
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(message[pos..]);
            ushort @class = BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 2)..]);
            uint ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(pos + 4)..]);
            int rdLength = BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 8)..]);
            pos += 10;
            if (message.Length - pos < rdLength)
                throw new DnsFormatException("DNS record data runs past the message");
            int rdStart = pos;
            pos += rdLength;
            if (@class != ClassIn || !InChain(chain, owner[..ownerLength]))
                continue;
            if (type == TypeCname)
            {
                int rdPos = rdStart;
                int targetLength = ReadName(message[..pos], ref rdPos, target);
                if (rdPos != pos)
                    throw new DnsFormatException("DNS CNAME data has trailing bytes");
                if (chain.Count >= MaxCnameChain)
                    throw new DnsFormatException("DNS CNAME chain too long");
                chain.Add(new string(target[..targetLength]));
            }
            else if (type == TypeTxt)
            {
                records.Add(ReadTxtData(message.Slice(rdStart, rdLength)));
                minTtl = Math.Min(minTtl, ttl);
            }
        }
        return new DnsTxtAnswer
        {
            ResponseCode = rcode,
            Records = records,
            MinTtlSeconds = records.Count == 0 ? 0 : minTtl,
        };
    }

    /// <summary>
    /// Reads a possibly compressed name at <paramref name="pos"/> into <paramref name="destination"/> as lower-case
    /// dotted text, advancing <paramref name="pos"/> past its in-place bytes. Label bytes outside printable ASCII,
    /// and dots inside a label, are written as '?' so such a name never equals a host name.
    /// </summary>
    internal static int ReadName(ReadOnlySpan<byte> message, ref int pos, Span<char> destination)
    {
        int cursor = pos;
        int end = -1;          // where the caller continues: after the first pointer, or after the root label
        int written = 0;
        int wireLength = 0;
        int jumps = 0;
        int lowestStart = cursor; // every pointer must land strictly before where the previous jump landed
        while (true)
        {
            if (cursor >= message.Length)
                throw new DnsFormatException("DNS name runs past the message");
            byte length = message[cursor];
            if (length == 0)
            {
                wireLength++;
                if (wireLength > MaxNameLength)
                    throw new DnsFormatException("DNS name longer than 255 bytes");
                if (end < 0)
                    end = cursor + 1;
                break;
            }
            if ((length & 0xC0) == 0xC0)
            {
                if (cursor + 1 >= message.Length)
                    throw new DnsFormatException("DNS compression pointer truncated");
                int target = ((length & 0x3F) << 8) | message[cursor + 1];
                if (end < 0)
                    end = cursor + 2;
                if (target >= lowestStart || ++jumps > MaxPointerJumps)
                    throw new DnsFormatException("DNS compression pointer does not point backwards");
                lowestStart = target;
                cursor = target;
                continue;
            }
            if ((length & 0xC0) != 0)
                throw new DnsFormatException("DNS label type not supported");
            wireLength += 1 + length;
            if (wireLength > MaxNameLength)
                throw new DnsFormatException("DNS name longer than 255 bytes");
            if (cursor + 1 + length > message.Length)
                throw new DnsFormatException("DNS label runs past the message");
            if (written > 0)
                destination[written++] = '.';
            foreach (byte b in message.Slice(cursor + 1, length))
            {
                char c = b is > 0x20 and < 0x7F && b != (byte)'.' ? (char)b : '?';
                destination[written++] = char.ToLowerInvariant(c);
            }
            cursor += 1 + length;
        }
        pos = end;
        return written;
    }

    private static string ReadTxtData(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
            throw new DnsFormatException("DNS TXT record without character-strings");
        // Concatenate the character-strings (the reference joins chunks), then decode once.
        Span<byte> joined = data.Length <= 512 ? stackalloc byte[data.Length] : new byte[data.Length];
        int written = 0;
        int pos = 0;
        while (pos < data.Length)
        {
            int length = data[pos];
            if (pos + 1 + length > data.Length)
                throw new DnsFormatException("DNS TXT character-string runs past its record");
            data.Slice(pos + 1, length).CopyTo(joined[written..]);
            written += length;
            pos += 1 + length;
        }
        return Encoding.UTF8.GetString(joined[..written]);
    }

    private static bool InChain(List<string> chain, ReadOnlySpan<char> owner)
    {
        foreach (string name in chain)
        {
            if (NameEquals(owner, name))
                return true;
        }
        return false;
    }

    private static bool NameEquals(ReadOnlySpan<char> wire, string name) =>
        wire.Equals(name.AsSpan(), StringComparison.OrdinalIgnoreCase);
}
