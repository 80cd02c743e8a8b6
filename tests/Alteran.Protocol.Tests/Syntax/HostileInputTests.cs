using System.Text;
using Alteran.Protocol.Syntax;

namespace Alteran.Protocol.Tests.Syntax;

/// <summary>Oversized, truncated and random input: no exceptions, no allocation in the span checks, both encodings agree.</summary>
public sealed class HostileInputTests
{
    private static IEnumerable<(string Format, string Value)> AllVectorValues()
    {
        foreach (string file in Directory.GetFiles(SyntaxVectors.Directory()).Order())
        {
            string name = Path.GetFileName(file);
            foreach (string value in SyntaxVectors.Read(name))
                yield return (name[..name.IndexOf('_')], value);
        }
    }

    [Fact]
    public void SpanChecksDoNotAllocate()
    {
        var cases = AllVectorValues().Select(c => (InteropSyntaxTests.Formats[c.Format], c.Value, Encoding.UTF8.GetBytes(c.Value))).ToArray();
        // Warm up (JIT, static delegate caches, statics).
        foreach (var (f, value, utf8) in cases)
        {
            f.IsValid(value);
            f.IsValidUtf8(utf8);
            LanguageTag.IsValidStrict(value);
            AtDatetime.TryParse(value, out _);
            Tid.TryParse(value, out _);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        int valid = 0;
        foreach (var (f, value, utf8) in cases)
        {
            if (f.IsValid(value)) valid++;
            if (f.IsValidUtf8(utf8)) valid++;
            if (LanguageTag.IsValidStrict(value)) valid++;
            if (AtDatetime.TryParse(value, out _)) valid++;
            if (AtDatetime.TryParse(utf8, out _)) valid++;
            if (Tid.TryParse(utf8, out _)) valid++;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(valid > 0);
        Assert.Equal(0, allocated);
    }

    public static TheoryData<string> FormatNames() => InteropSyntaxTests.FormatNames();

    [Theory]
    [MemberData(nameof(FormatNames))]
    public void VeryLongInputIsRejectedInLinearTime(string format)
    {
        var f = InteropSyntaxTests.Formats[format];
        const int size = 1 << 20;
        // Shapes that keep each format's scanner going as long as possible before the length rule applies.
        string[] inputs =
        [
            new string('a', size),
            "did:plc:" + new string('a', size),
            "at://did:plc:abc/com.example.post/" + new string('o', size),
            string.Concat(Enumerable.Repeat("abc.", size / 4)) + "com",
            "en" + string.Concat(Enumerable.Repeat("-abcde", size / 6)),
            "https://example.com/" + new string('x', size),
            new string('2', size),
            "1985-04-12T23:20:50." + new string('1', size) + "Z",
            new string('#', size),
            new string('-', size),
        ];
        foreach (string input in inputs)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(input);
            bool expected = format == "language" && input.StartsWith("en-abcde", StringComparison.Ordinal);
            Assert.Equal(expected, f.IsValid(input));
            Assert.Equal(expected, f.IsValidUtf8(utf8));
            // The long language tag repeats one variant, so the strict check refuses it.
            Assert.False(f.Parse(input));
        }
    }

    [Theory]
    [MemberData(nameof(FormatNames))]
    public void EveryPrefixOfEveryVectorIsHandled(string format)
    {
        var f = InteropSyntaxTests.Formats[format];
        foreach (var (fmt, value) in AllVectorValues())
        {
            if (value.Length > 1000)
                continue;
            for (int n = 0; n <= value.Length; n++)
            {
                string prefix = value[..n];
                if (char.IsHighSurrogate(prefix.Length > 0 ? prefix[^1] : 'a'))
                    continue; // not encodable as UTF-8
                byte[] utf8 = Encoding.UTF8.GetBytes(prefix);
                bool a = f.IsValid(prefix), b = f.IsValidUtf8(utf8);
                Assert.True(a == b, $"{format}: char and UTF-8 disagree on {InteropSyntaxTests.Show(prefix)} (from {fmt})");
                bool p = f.Parse(prefix);
                Assert.True(!p || a, $"{format}: parses but fails syntax: {InteropSyntaxTests.Show(prefix)}");
            }
        }
    }

    [Fact]
    public void RandomInputNeverThrowsAndRoundTrips()
    {
        const string alphabet = "aAzZ09.-_:/#%@~T+Z x\u00e9\u2014";
        var random = new Random(20261124);
        var buffer = new char[48];
        for (int iteration = 0; iteration < 30_000; iteration++)
        {
            int length = random.Next(buffer.Length + 1);
            for (int i = 0; i < length; i++)
                buffer[i] = alphabet[random.Next(alphabet.Length)];
            // Bias towards prefixes that reach deeper into the parsers.
            string value = (iteration % 5) switch
            {
                0 => "did:" + new string(buffer, 0, length),
                1 => "at://" + new string(buffer, 0, length),
                2 => "1985-04-12T" + new string(buffer, 0, length),
                _ => new string(buffer, 0, length),
            };
            byte[] utf8 = Encoding.UTF8.GetBytes(value);
            foreach (var (name, f) in InteropSyntaxTests.Formats)
            {
                bool a = f.IsValid(value), b = f.IsValidUtf8(utf8);
                Assert.True(a == b, $"{name}: disagree on '{value}'");
            }
            if (Did.TryParse(value, out Did did)) Assert.Equal(value, did.ToString());
            if (Nsid.TryParse(value, out Nsid nsid)) Assert.Equal(value, nsid.ToString());
            if (RecordKey.TryParse(value, out RecordKey rkey)) Assert.Equal(value, rkey.ToString());
            if (Handle.TryParse(value, out Handle handle)) Assert.Equal(value.ToLowerInvariant(), handle.ToString());
            if (AtUri.TryParse(value, out AtUri uri))
            {
                Assert.Equal(value, uri.ToString());
                Assert.True(uri.Authority.IsDid || uri.Authority.IsHandle);
            }
            if (AtDatetime.TryParse(value, out AtDatetime dt))
                Assert.Equal(dt, AtDatetime.Parse(dt.ToString()));
        }
    }

    [Fact]
    public void InvalidUtf8IsRejected()
    {
        byte[][] inputs = [[0xFF], [(byte)'a', 0xC3], [0xED, 0xA0, 0x80], [(byte)'h', (byte)'t', (byte)'t', (byte)'p', (byte)':', 0x80]];
        foreach (byte[] input in inputs)
        {
            foreach (var (_, f) in InteropSyntaxTests.Formats)
                Assert.False(f.IsValidUtf8(input));
        }
        Assert.True(GenericUri.IsValid("http:é"u8));
        Assert.False(GenericUri.IsValid("http:\u00A0x"u8)); // no-break space is whitespace
        Assert.False(GenericUri.IsValid("http:\u00A0x"));
        Assert.False(GenericUri.IsValid("http:\uD800x"));   // lone surrogate
    }
}
