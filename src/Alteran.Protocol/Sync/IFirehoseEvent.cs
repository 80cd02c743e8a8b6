using System.Buffers;

namespace Alteran.Protocol.Sync;

/// <summary>
/// A sequenced firehose event that can write its whole frame once its <c>seq</c> is known.
/// </summary>
/// <remarks>
/// The storage layer assigns <c>seq</c> inside its atomic write, so it takes the event (generic over a struct
/// <c>TEvent : IFirehoseEvent</c>, no boxing) and calls <see cref="WriteFrame"/> with the new seq and its own
/// buffer. The bytes written are the final frame: persisted as is and fanned out unchanged to every subscriber.
/// Implementations validate everything before writing the first byte, so a throw leaves the output untouched.
/// </remarks>
public interface IFirehoseEvent
{
    /// <summary>Writes the complete frame (header then body) for sequence number <paramref name="seq"/> (≥ 1).</summary>
    /// <returns>The number of bytes written.</returns>
    int WriteFrame(long seq, IBufferWriter<byte> output);
}
