using System.Text;

namespace Alteran.Protocol.Tests.Syntax;

/// <summary>
/// The atproto repository keeps its own copy of the syntax vectors (tests/fixtures/atproto/interop-test-files).
/// The standalone atproto-interop-tests repository is canonical; its copy is tests/fixtures/interop. Where they
/// disagree we follow the standalone copy. Differences at the pinned commits:
/// <list type="bullet">
/// <item><c>0000-01-01T00:00:00+01:00</c>: atproto copy says datetime syntax-invalid; canonical says parse-invalid
/// (syntax passes, the UTC instant is in year -1). We follow canonical: IsValid true, TryParse false.</item>
/// <item><c>0000-01-01T00:00:00.000Z</c>, <c>0001-01-01T00:00:00.000Z</c>: only canonical lists them (valid).</item>
/// <item><c>JA</c>, <c>jaja</c>: atproto copy says language parse-invalid (so syntax-valid); canonical says
/// syntax-invalid (atproto PR #5189 made the primary subtag lower-case 2-3 letters). We follow canonical.</item>
/// <item><c>de-419-DE</c>: atproto copy says syntax-invalid; canonical comments it out ("allowing in naive
/// parser"). Our strict grammar rejects it, agreeing with the copy.</item>
/// <item>TIDs <c>3JZFCIJPJ2Z2A</c>, <c>222</c> (invalid) and <c>2222222222222</c> (valid) are only in canonical;
/// <c>a222222222222</c>, <c>j222222222222</c>, <c>azzzzzzzzzzzz</c> (valid) only in the copy. No conflict.</item>
/// </list>
/// This test runs the atproto copy with exactly those conflicts overridden, and checks the conflicts are real.
/// </summary>
public sealed class AtprotoCopyTests
{
    // value -> (file in the atproto copy that lists it, what we do instead)
    private static readonly Dictionary<string, (string File, string Expected)> Conflicts = new()
    {
        ["0000-01-01T00:00:00+01:00"] = ("datetime_syntax_invalid.txt", "parse-invalid"),
        ["JA"] = ("language_parse_invalid.txt", "syntax-invalid"),
        ["jaja"] = ("language_parse_invalid.txt", "syntax-invalid"),
    };

    public static TheoryData<string> Files() =>
        new(Directory.GetFiles(SyntaxVectors.Directory("atproto")).Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Files))]
    public void AtprotoCopyAgreesExceptKnownConflicts(string file)
    {
        string format = file[..file.IndexOf('_')];
        string kind = file[(file.IndexOf('_') + 1)..^4].Replace('_', '-');
        var f = InteropSyntaxTests.Formats[format];
        var failures = new List<string>();
        foreach (string value in SyntaxVectors.Read(file, "atproto"))
        {
            string expected = kind;
            if (Conflicts.TryGetValue(value, out var conflict))
            {
                Assert.Equal(conflict.File, file);
                expected = conflict.Expected;
            }
            byte[] utf8 = Encoding.UTF8.GetBytes(value);
            bool syntax = f.IsValid(value), syntax8 = f.IsValidUtf8(utf8), parse = f.Parse(value), parse8 = f.ParseUtf8(utf8);
            (bool wantSyntax, bool wantParse) = expected switch
            {
                "syntax-valid" => (true, true),
                "syntax-invalid" => (false, false),
                "parse-invalid" => (true, false),
                _ => throw new InvalidOperationException(expected),
            };
            if (syntax != wantSyntax || syntax8 != wantSyntax || parse != wantParse || parse8 != wantParse)
                failures.Add($"{expected}: {InteropSyntaxTests.Show(value)} gave syntax {syntax}/{syntax8}, parse {parse}/{parse8}");
        }
        Assert.Empty(failures);
    }

    [Fact]
    public void ConflictsAreListedDifferentlyInTheCanonicalCopy()
    {
        Assert.Contains("0000-01-01T00:00:00+01:00", SyntaxVectors.Read("datetime_parse_invalid.txt"));
        Assert.Contains("JA", SyntaxVectors.Read("language_syntax_invalid.txt"));
        Assert.Contains("jaja", SyntaxVectors.Read("language_syntax_invalid.txt"));
        foreach (var (value, (file, _)) in Conflicts)
            Assert.Contains(value, SyntaxVectors.Read(file, "atproto"));
    }
}
