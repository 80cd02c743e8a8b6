using System.Buffers;
using Alteran.Protocol;
using Alteran.Protocol.Cbor;

namespace Alteran.Benchmarks.Protocol.Cbor;

/// <summary>Typical payloads: an app.bsky.feed.post record and a firehose #commit body.</summary>
public static class SampleRecords
{
    public const string PostText =
        "Spent the afternoon benchmarking a PDS written in C#. DAG-CBOR encoding turns out to be the easy part; " +
        "the canonical key order and strict decoding rules are where the interesting bugs hide. More soon! 🚀 #atproto";

    public const string CreatedAt = "2026-11-24T16:30:00.000Z";

    /// <summary>Writes a post: {text, $type, langs, facets:[link facet], createdAt} in canonical key order.</summary>
    public static void WritePost(ref DagCborWriter w, string text, string createdAt)
    {
        w.WriteMapHeader(5);
        w.WriteText("text"u8);
        w.WriteText(text.AsSpan());
        w.WriteText("$type"u8);
        w.WriteText("app.bsky.feed.post"u8);
        w.WriteText("langs"u8);
        w.WriteArrayHeader(1);
        w.WriteText("en"u8);
        w.WriteText("facets"u8);
        w.WriteArrayHeader(1);
        {
            w.WriteMapHeader(3);
            w.WriteText("$type"u8);
            w.WriteText("app.bsky.richtext.facet"u8);
            w.WriteText("index"u8);
            w.WriteMapHeader(2);
            w.WriteText("byteEnd"u8);
            w.WriteInt(207);
            w.WriteText("byteStart"u8);
            w.WriteInt(199);
            w.WriteText("features"u8);
            w.WriteArrayHeader(1);
            w.WriteMapHeader(2);
            w.WriteText("tag"u8);
            w.WriteText("atproto"u8);
            w.WriteText("$type"u8);
            w.WriteText("app.bsky.richtext.facet#tag"u8);
        }
        w.WriteText("createdAt"u8);
        w.WriteText(createdAt.AsSpan());
    }

    public static byte[] EncodePost(string text = PostText)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new DagCborWriter(buffer);
        WritePost(ref w, text, CreatedAt);
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads every field of a post; returns a checksum so nothing is optimised away.</summary>
    public static int ReadPost(ReadOnlySpan<byte> data)
    {
        var r = new DagCborReader(data);
        int sum = 0;
        int n = r.ReadMapHeader();
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<byte> key = r.ReadMapKey();
            sum += key.Length;
            if (key.SequenceEqual("langs"u8))
            {
                int m = r.ReadArrayHeader();
                for (int j = 0; j < m; j++)
                    sum += r.ReadText().Length;
            }
            else if (key.SequenceEqual("facets"u8))
            {
                sum += r.ReadEncodedValue().Length;
            }
            else
            {
                sum += r.ReadText().Length;
            }
        }
        r.EnsureEnd();
        return sum;
    }

    public static readonly byte[] CommitBlocks = CreateBlocks();

    private static byte[] CreateBlocks()
    {
        var b = new byte[5 * 1024];
        new Random(1).NextBytes(b);
        return b;
    }

    public static readonly Cid CommitCid = Cid.ForDagCbor("commit"u8);
    public static readonly Cid PrevData = Cid.ForDagCbor("prevData"u8);

    public static readonly (string Path, Cid Cid)[] Ops = CreateOps();

    private static (string, Cid)[] CreateOps()
    {
        var ops = new (string, Cid)[10];
        for (int i = 0; i < ops.Length; i++)
            ops[i] = ($"app.bsky.feed.post/3lbxyzabcde{i:00}", Cid.ForDagCbor(BitConverter.GetBytes(i)));
        return ops;
    }

    /// <summary>
    /// Writes a #commit body (sync v1.1 shape) with 10 create ops and a 5 KiB blocks byte string.
    /// Canonical key order: ops, rev, seq, repo, time, blobs, since, blocks, commit, rebase, tooBig, prevData.
    /// </summary>
    public static void WriteCommit(ref DagCborWriter w)
    {
        w.WriteMapHeader(12);
        w.WriteText("ops"u8);
        w.WriteArrayHeader(Ops.Length);
        foreach (var (path, cid) in Ops)
        {
            w.WriteMapHeader(3);
            w.WriteText("cid"u8);
            w.WriteCid(cid);
            w.WriteText("path"u8);
            w.WriteText(path.AsSpan());
            w.WriteText("action"u8);
            w.WriteText("create"u8);
        }
        w.WriteText("rev"u8);
        w.WriteText("3lbxyzabcdefg"u8);
        w.WriteText("seq"u8);
        w.WriteInt(123_456_789);
        w.WriteText("repo"u8);
        w.WriteText("did:plc:ewvi7nxzyoun6zhxrhs64oiz"u8);
        w.WriteText("time"u8);
        w.WriteText("2026-11-24T16:30:00.000Z"u8);
        w.WriteText("blobs"u8);
        w.WriteArrayHeader(0);
        w.WriteText("since"u8);
        w.WriteText("3lbxyzabcdeff"u8);
        w.WriteText("blocks"u8);
        w.WriteBytes(CommitBlocks);
        w.WriteText("commit"u8);
        w.WriteCid(CommitCid);
        w.WriteText("rebase"u8);
        w.WriteBool(false);
        w.WriteText("tooBig"u8);
        w.WriteBool(false);
        w.WriteText("prevData"u8);
        w.WriteCid(PrevData);
    }

    public static byte[] EncodeCommit()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new DagCborWriter(buffer);
        WriteCommit(ref w);
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a #commit body generically (every value touched, CIDs parsed); returns a checksum.</summary>
    public static int ReadCommit(ReadOnlySpan<byte> data)
    {
        var r = new DagCborReader(data);
        int sum = 0;
        int n = r.ReadMapHeader();
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<byte> key = r.ReadMapKey();
            if (key.SequenceEqual("ops"u8))
            {
                int m = r.ReadArrayHeader();
                for (int j = 0; j < m; j++)
                {
                    r.ReadMapHeader();
                    r.ReadMapKey();
                    sum += r.ReadCid().Digest[0];
                    r.ReadMapKey();
                    sum += r.ReadText().Length;
                    r.ReadMapKey();
                    sum += r.ReadText().Length;
                }
            }
            else
            {
                switch (r.PeekKind())
                {
                    case CborKind.Cid: sum += r.ReadCid().Digest[0]; break;
                    case CborKind.Bytes: sum += r.ReadBytes().Length; break;
                    case CborKind.Integer: sum += (int)r.ReadInt(); break;
                    default: r.SkipValue(); break;
                }
            }
        }
        r.EnsureEnd();
        return sum;
    }
}
