using System.IO.Pipelines;

namespace Alteran.Benchmarks.Net.Http;

/// <summary>
/// The server's side of an in-memory connection: reads what the client wrote to <c>toServer</c>, writes into
/// <c>toClient</c>. Stands in for the socket's NetworkStream, so a request runs without any kernel I/O.
/// </summary>
internal sealed class InMemoryDuplexStream(Pipe toServer, Pipe toClient) : Stream
{
    private readonly Stream _read = toServer.Reader.AsStream();
    private readonly Stream _write = toClient.Writer.AsStream();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _read.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _read.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => _read.Read(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _write.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _write.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => _write.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => _write.FlushAsync(cancellationToken);

    public override void Flush() => _write.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            toServer.Reader.Complete();
            toClient.Writer.Complete();
        }

        base.Dispose(disposing);
    }
}
