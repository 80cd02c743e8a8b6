namespace Alteran.Net.Firehose;

/// <summary>
/// The ring of already-encoded firehose frames keyed by seq (see <see cref="SeqRing{T}"/>): the frame arrays are
/// shared with every reader, and the byte budget counts their lengths.
/// </summary>
public sealed class FrameRing(int capacity, long byteBudget, long startAfter = 0)
    : SeqRing<byte[]>(capacity, byteBudget, static frame => frame.Length, startAfter);
