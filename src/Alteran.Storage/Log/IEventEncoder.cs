using System.Buffers;

namespace Alteran.Storage.Log;

/// <summary>
/// Writes one firehose event (the complete frame bytes) for the seq the store has just assigned.
/// Called on the store's single writer thread, inside the group-commit ordering, exactly once per attempt;
/// it must not block or call back into the store. Throwing fails only this write (its seq is not consumed).
/// </summary>
/// <remarks>
/// Why a callback and not "pre-encoded bytes + seq placeholder": the seq is a DAG-CBOR integer inside the frame
/// body, and its encoded width depends on its value (1..9 bytes), so a placeholder would need a fixed width,
/// which canonical DAG-CBOR forbids. Encoding at sequencing time writes the frame once, straight into the buffer
/// whose bytes go to the write batch (and, with <see cref="EventBuffer"/>, to the firehose after the sync).
/// </remarks>
public interface IEventEncoder
{
    /// <summary>Encodes the event with sequence number <paramref name="seq"/> into <paramref name="output"/>.</summary>
    void Encode(long seq, IBufferWriter<byte> output);
}
