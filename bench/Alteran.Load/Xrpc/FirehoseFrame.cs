using System.Text;
using Alteran.Protocol.Cbor;

namespace Alteran.Load.Xrpc;

/// <summary>
/// The parts of a subscribeRepos frame the probes need: header <c>t</c> / <c>op</c>, and for <c>#commit</c> bodies
/// the <c>seq</c> and <c>ops[0].path</c>. Frame = DAG-CBOR header map followed by the DAG-CBOR body map.
/// </summary>
internal readonly record struct FirehoseFrame(int Op, string? Type, long Seq, string? FirstPath)
{
    public static FirehoseFrame Decode(ReadOnlySpan<byte> frame)
    {
        var header = new DagCborReader(frame);
        int op = 0;
        string? type = null;
        int n = header.ReadMapHeader();
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<byte> key = header.ReadMapKey();
            if (key.SequenceEqual("op"u8))
            {
                op = (int)header.ReadInt();
            }
            else if (key.SequenceEqual("t"u8))
            {
                type = header.ReadTextString();
            }
            else
            {
                header.SkipValue();
            }
        }

        long seq = -1;
        string? path = null;
        var body = new DagCborReader(frame[header.BytesConsumed..]);
        ReadSeqAndFirstPath(ref body, ref seq, ref path);
        return new FirehoseFrame(op, type, seq, path);
    }

    /// <summary>
    /// Reads <c>seq</c> and <c>ops[0].path</c> from a commit body map, stopping once both are known. A body cut short
    /// throws <see cref="DagCborException"/> with whatever was read so far already stored.
    /// </summary>
    public static void ReadSeqAndFirstPath(ref DagCborReader body, ref long seq, ref string? path)
    {
        int m = body.ReadMapHeader();
        for (int i = 0; i < m && (seq < 0 || path is null); i++)
        {
            ReadOnlySpan<byte> key = body.ReadMapKey();
            if (key.SequenceEqual("seq"u8))
            {
                seq = body.ReadInt();
            }
            else if (key.SequenceEqual("ops"u8) && body.PeekKind() == CborKind.Array)
            {
                int count = body.ReadArrayHeader();
                for (int j = 0; j < count; j++)
                {
                    if (j > 0)
                    {
                        body.SkipValue();
                        continue;
                    }

                    int fields = body.ReadMapHeader();
                    for (int f = 0; f < fields; f++)
                    {
                        if (body.ReadMapKey().SequenceEqual("path"u8))
                        {
                            path = Encoding.UTF8.GetString(body.ReadText());
                        }
                        else
                        {
                            body.SkipValue();
                        }
                    }
                }
            }
            else
            {
                body.SkipValue();
            }
        }
    }
}
