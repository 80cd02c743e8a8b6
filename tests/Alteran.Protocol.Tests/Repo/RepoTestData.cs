using System.Buffers;
using Alteran.Protocol.Cbor;

namespace Alteran.Protocol.Tests.Repo;

internal static class RepoTestData
{
    public const string Did = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";

    /// <summary>A small post record as canonical DAG-CBOR: {text, $type, createdAt}.</summary>
    public static byte[] Post(string text)
    {
        var buf = new ArrayBufferWriter<byte>();
        var w = new DagCborWriter(buf);
        w.WriteMapHeader(3);
        w.WriteText("text"u8);
        w.WriteText(text);
        w.WriteText("$type"u8);
        w.WriteText("app.bsky.feed.post"u8);
        w.WriteText("createdAt"u8);
        w.WriteText("2026-11-24T12:00:00.000Z"u8);
        w.Flush();
        return buf.WrittenSpan.ToArray();
    }

    /// <summary>TID-shaped record keys / revs from a counter (strictly increasing).</summary>
    public static string Tid(long n) => Alteran.Protocol.Syntax.Tid.FromTimestamp(1_700_000_000_000_000 + n, 0).ToString();
}
