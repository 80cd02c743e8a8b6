using Alteran.Protocol.Cbor;

namespace Alteran.Load.Xrpc.Fanout;

/// <summary>
/// Reads <c>op</c> from a firehose frame's DAG-CBOR header and <c>seq</c> from its body, given only the frame's first
/// bytes (<see cref="RawSubscriber.HeadBytes"/>). Canonical key order puts <c>ops</c> and <c>rev</c> before
/// <c>seq</c>, so a commit with many ops may not reach <c>seq</c> within those bytes: then seq is -1.
/// Nothing is allocated (a truncated head throws inside the reader and is caught, which is rare: single-op commits fit).
/// </summary>
internal static class FrameHead
{
    /// <summary>Header <c>op</c> (1 = message, -1 = error frame) and body <c>seq</c> (-1 if not found in <paramref name="head"/>).</summary>
    public static (int Op, long Seq) Read(ReadOnlySpan<byte> head)
    {
        int op = 0;
        long seq = -1;
        try
        {
            var header = new DagCborReader(head);
            int n = header.ReadMapHeader();
            for (int i = 0; i < n; i++)
            {
                if (header.ReadMapKey().SequenceEqual("op"u8))
                {
                    op = (int)header.ReadInt();
                }
                else
                {
                    header.SkipValue();
                }
            }

            if (op != 1)
            {
                return (op, -1);
            }

            var body = new DagCborReader(head[header.BytesConsumed..]);
            int m = body.ReadMapHeader();
            for (int i = 0; i < m; i++)
            {
                if (body.ReadMapKey().SequenceEqual("seq"u8))
                {
                    return (op, body.ReadInt());
                }

                body.SkipValue();
            }
        }
        catch (DagCborException)
        {
            // Head cut before seq.
        }

        return (op, seq);
    }
}

/// <summary>seq and ops[0].path of a single-op commit frame's head (for the one subscriber that maps writes to seqs).</summary>
internal static class FrameHeadPath
{
    public static (long Seq, string? Path) Read(ReadOnlySpan<byte> head)
    {
        long seq = -1;
        string? path = null;
        try
        {
            var header = new DagCborReader(head);
            int n = header.ReadMapHeader();
            for (int i = 0; i < n; i++)
            {
                header.ReadMapKey();
                header.SkipValue();
            }

            var body = new DagCborReader(head[header.BytesConsumed..]);
            FirehoseFrame.ReadSeqAndFirstPath(ref body, ref seq, ref path);
        }
        catch (DagCborException)
        {
        }

        return (seq, path);
    }
}
