using System.Text;
using Alteran.Protocol.Syntax;

namespace Alteran.Protocol.Tests.Syntax;

/// <summary>
/// Every value in tests/fixtures/interop/syntax (the standalone atproto-interop-tests, the canonical copy) against
/// both the UTF-16 and the UTF-8 overloads. Where the atproto repository's own copy
/// (tests/fixtures/atproto/interop-test-files) disagrees, the standalone copy wins; see <see cref="AtprotoCopyTests"/>.
/// </summary>
public sealed class InteropSyntaxTests
{
    internal delegate bool CharCheck(ReadOnlySpan<char> value);
    internal delegate bool ByteCheck(ReadOnlySpan<byte> value);

    internal sealed record Format(string Name, CharCheck IsValid, ByteCheck IsValidUtf8, CharCheck Parse, ByteCheck ParseUtf8);

    internal static readonly Dictionary<string, Format> Formats = new()
    {
        ["did"] = new("did", Did.IsValid, Did.IsValid, v => Did.TryParse(v, out _), v => Did.TryParse(v, out _)),
        ["handle"] = new("handle", Handle.IsValid, Handle.IsValid, v => Handle.TryParse(v, out _), v => Handle.TryParse(v, out _)),
        ["atidentifier"] = new("atidentifier", AtIdentifier.IsValid, AtIdentifier.IsValid,
            v => AtIdentifier.TryParse(v, out _), v => AtIdentifier.TryParse(v, out _)),
        ["nsid"] = new("nsid", Nsid.IsValid, Nsid.IsValid, v => Nsid.TryParse(v, out _), v => Nsid.TryParse(v, out _)),
        ["aturi"] = new("aturi", AtUri.IsValid, AtUri.IsValid, v => AtUri.TryParse(v, out _), v => AtUri.TryParse(v, out _)),
        ["recordkey"] = new("recordkey", RecordKey.IsValid, RecordKey.IsValid,
            v => RecordKey.TryParse(v, out _), v => RecordKey.TryParse(v, out _)),
        ["tid"] = new("tid", Tid.IsValid, Tid.IsValid, v => Tid.TryParse(v, out _), v => Tid.TryParse(v, out _)),
        ["datetime"] = new("datetime", AtDatetime.IsValid, AtDatetime.IsValid,
            v => AtDatetime.TryParse(v, out _), v => AtDatetime.TryParse(v, out _)),
        ["language"] = new("language", LanguageTag.IsValid, LanguageTag.IsValid, LanguageTag.IsValidStrict, LanguageTag.IsValidStrict),
        ["cid"] = new("cid", CidSyntax.IsValid, CidSyntax.IsValid, CidSyntax.IsValid, CidSyntax.IsValid),
        ["uri"] = new("uri", GenericUri.IsValid, GenericUri.IsValid, GenericUri.IsValid, GenericUri.IsValid),
    };

    public static TheoryData<string> FormatNames() => new(Formats.Keys);

    [Theory]
    [MemberData(nameof(FormatNames))]
    public void SyntaxValidValuesPassSyntaxAndParse(string format)
    {
        Format f = Formats[format];
        var failures = new List<string>();
        foreach (string value in SyntaxVectors.Read($"{format}_syntax_valid.txt"))
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(value);
            if (!f.IsValid(value)) failures.Add("IsValid(char): " + Show(value));
            if (!f.IsValidUtf8(utf8)) failures.Add("IsValid(utf8): " + Show(value));
            if (!f.Parse(value)) failures.Add("TryParse(char): " + Show(value));
            if (!f.ParseUtf8(utf8)) failures.Add("TryParse(utf8): " + Show(value));
        }
        Assert.Empty(failures);
    }

    [Theory]
    [MemberData(nameof(FormatNames))]
    public void SyntaxInvalidValuesFailSyntaxAndParse(string format)
    {
        Format f = Formats[format];
        var failures = new List<string>();
        foreach (string value in SyntaxVectors.Read($"{format}_syntax_invalid.txt"))
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(value);
            if (f.IsValid(value)) failures.Add("IsValid(char): " + Show(value));
            if (f.IsValidUtf8(utf8)) failures.Add("IsValid(utf8): " + Show(value));
            if (f.Parse(value)) failures.Add("TryParse(char): " + Show(value));
            if (f.ParseUtf8(utf8)) failures.Add("TryParse(utf8): " + Show(value));
        }
        Assert.Empty(failures);
    }

    [Theory]
    [InlineData("datetime")]
    [InlineData("language")]
    public void ParseInvalidValuesPassSyntaxButFailParse(string format)
    {
        Format f = Formats[format];
        var failures = new List<string>();
        foreach (string value in SyntaxVectors.Read($"{format}_parse_invalid.txt"))
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(value);
            if (!f.IsValid(value)) failures.Add("IsValid(char) rejected: " + Show(value));
            if (!f.IsValidUtf8(utf8)) failures.Add("IsValid(utf8) rejected: " + Show(value));
            if (f.Parse(value)) failures.Add("TryParse(char) accepted: " + Show(value));
            if (f.ParseUtf8(utf8)) failures.Add("TryParse(utf8) accepted: " + Show(value));
        }
        Assert.Empty(failures);
    }

    [Fact]
    public void EveryVectorFileIsCovered()
    {
        var expected = new HashSet<string>();
        foreach (string format in Formats.Keys)
        {
            expected.Add($"{format}_syntax_valid.txt");
            expected.Add($"{format}_syntax_invalid.txt");
        }
        expected.Add("datetime_parse_invalid.txt");
        expected.Add("language_parse_invalid.txt");
        var present = new HashSet<string>(Directory.GetFiles(SyntaxVectors.Directory()).Select(Path.GetFileName)!);
        Assert.Equal(expected.Order(), present.Order()!);
    }

    internal static string Show(string value) => value.Length > 80 ? $"{value[..60]}... ({value.Length} chars)" : $"'{value}'";
}
