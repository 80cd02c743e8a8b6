using System.Diagnostics.CodeAnalysis;

namespace Alteran.Protocol.Sync;

/// <summary>A firehose frame that is malformed, or valid DAG-CBOR that breaks the frame or message schema.</summary>
public sealed class FirehoseFrameException : FormatException
{
    /// <summary>Creates an exception for <paramref name="error"/> found at byte <paramref name="offset"/> of the frame.</summary>
    public FirehoseFrameException(FirehoseFrameError error, int offset, string detail, Exception? inner = null)
        : base($"Invalid firehose frame at byte {offset}: {error} ({detail}).", inner)
    {
        Error = error;
        Offset = offset;
    }

    /// <summary>The reason.</summary>
    public FirehoseFrameError Error { get; }

    /// <summary>Byte offset in the frame where the problem was found.</summary>
    public int Offset { get; }

    [DoesNotReturn]
    internal static void Throw(FirehoseFrameError error, int offset, string detail) =>
        throw new FirehoseFrameException(error, offset, detail);
}
