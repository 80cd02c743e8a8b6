using System.Text.Json;

namespace Alteran.Protocol.Tests.Mst;

/// <summary>Paths and loaders for the MST interop fixtures.</summary>
internal static class MstFixtures
{
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([AppContext.BaseDirectory, "fixtures", .. parts]);

    public static JsonDocument Json(params string[] parts) => JsonDocument.Parse(File.ReadAllText(Path(parts)));

    /// <summary>example_keys.txt: keys named <c>&lt;Letter&gt;&lt;height&gt;/&lt;number&gt;</c>.</summary>
    public static string[] ExampleKeys()
    {
        var keys = new List<string>();
        foreach (var line in File.ReadAllLines(Path("interop", "mst", "example_keys.txt")))
        {
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            keys.Add(line);
        }
        return keys.ToArray();
    }

    /// <summary>A deterministic stand-in record CID for a counter.</summary>
    public static Cid RecordCid(int n)
    {
        Span<byte> b = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(b, n);
        return Cid.ForDagCbor(b);
    }
}
