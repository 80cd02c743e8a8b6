using System.Text;

namespace Alteran.Protocol.Tests.Syntax;

/// <summary>Reads the interop text vectors: one value a line, empty lines and lines starting with '#' skipped, never trimmed.</summary>
internal static class SyntaxVectors
{
    public static string Directory(string copy = "interop") => copy == "interop"
        ? Path.Combine(AppContext.BaseDirectory, "fixtures", "interop", "syntax")
        : Path.Combine(AppContext.BaseDirectory, "fixtures", "atproto", "interop-test-files", "syntax");

    public static List<string> Read(string fileName, string copy = "interop")
    {
        string path = Path.Combine(Directory(copy), fileName);
        // Strict decoding: a broken file should fail loudly, not turn into replacement characters.
        string text = new UTF8Encoding(false, true).GetString(File.ReadAllBytes(path));
        var values = new List<string>();
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            values.Add(line);
        }
        Assert.NotEmpty(values);
        return values;
    }
}
