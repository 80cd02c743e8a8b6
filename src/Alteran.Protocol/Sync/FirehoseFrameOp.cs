namespace Alteran.Protocol.Sync;

/// <summary>The <c>op</c> of a frame header (event-stream spec, "Framing").</summary>
public enum FirehoseFrameOp
{
    /// <summary>An error frame (<c>op: -1</c>); the stream closes after it.</summary>
    Error = -1,

    /// <summary>A regular message (<c>op: 1</c>) whose type is in the header's <c>t</c>.</summary>
    Message = 1,
}
