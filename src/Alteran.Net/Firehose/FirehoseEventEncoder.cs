using System.Buffers;
using Alteran.Protocol.Sync;
using Alteran.Storage.Log;

namespace Alteran.Net.Firehose;

/// <summary>Adapts a protocol event (<c>#identity</c>, <c>#account</c>) to the store's sequencing callback.</summary>
internal sealed class FirehoseEventEncoder<T>(T message) : IEventEncoder where T : IFirehoseEvent
{
    public void Encode(long seq, IBufferWriter<byte> output) => message.WriteFrame(seq, output);
}
