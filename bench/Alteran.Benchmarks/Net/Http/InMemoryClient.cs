using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Net;
using Alteran.Net.Http;

namespace Alteran.Benchmarks.Net.Http;

/// <summary>
/// One keep-alive HTTP/1.1 connection to an <see cref="HttpServer"/> through two in-memory pipes (no socket): writes
/// request bytes, reads one whole response (Content-Length or chunked). The response is copied into a reusable
/// buffer, so the client side allocates nothing per request.
/// </summary>
internal sealed class InMemoryClient : IAsyncDisposable
{
    private readonly Pipe _toServer = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private readonly Pipe _toClient = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private readonly Task _connection;
    private readonly byte[] _response = new byte[1 << 20];

    public InMemoryClient(HttpServer server)
    {
        var connection = new HttpConnection(server, new InMemoryDuplexStream(_toServer, _toClient), id: 1, IPAddress.Loopback);
        _connection = connection.RunAsync();
    }

    /// <summary>The last response: status line, headers and body.</summary>
    public ReadOnlySpan<byte> LastResponse => _response.AsSpan(0, LastLength);

    public int LastLength { get; private set; }

    /// <summary>Sends <paramref name="request"/> and returns the response status.</summary>
    /// <remarks>Pooled builder: the client's own await state is not counted as the server's allocation.</remarks>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> SendAsync(byte[] request)
    {
        await _toServer.Writer.WriteAsync(request);
        while (true)
        {
            ReadResult result = await _toClient.Reader.ReadAsync();
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (TryTakeResponse(ref buffer, out int status))
            {
                _toClient.Reader.AdvanceTo(buffer.Start);
                return status;
            }

            if (result.IsCompleted)
            {
                throw new InvalidOperationException("connection closed before a full response");
            }

            _toClient.Reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private bool TryTakeResponse(ref ReadOnlySequence<byte> buffer, out int status)
    {
        status = 0;
        int n = (int)Math.Min(buffer.Length, _response.Length);
        buffer.Slice(0, n).CopyTo(_response);
        ReadOnlySpan<byte> data = _response.AsSpan(0, n);
        int headerEnd = data.IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0)
        {
            return false;
        }

        ReadOnlySpan<byte> head = data[..headerEnd];
        status = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
        int bodyStart = headerEnd + 4;
        int total;
        int cl = IndexOfIgnoreCase(head, "\r\ncontent-length:"u8);
        if (cl >= 0)
        {
            ReadOnlySpan<byte> value = head[(cl + 17)..];
            value = value[..(value.IndexOf("\r\n"u8) is int e and >= 0 ? e : value.Length)].Trim((byte)' ');
            Utf8Parser.TryParse(value, out int length, out _);
            total = bodyStart + length;
        }
        else if (IndexOfIgnoreCase(head, "chunked"u8) >= 0)
        {
            int end = data[bodyStart..].IndexOf("\r\n0\r\n\r\n"u8);
            if (end < 0 && !data[bodyStart..].StartsWith("0\r\n\r\n"u8))
            {
                return false;
            }

            total = end < 0 ? bodyStart + 5 : bodyStart + end + 7;
        }
        else
        {
            total = bodyStart;
        }

        if (n < total)
        {
            return false;
        }

        LastLength = total;
        buffer = buffer.Slice(total);
        return true;
    }

    private static int IndexOfIgnoreCase(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> lowerNeedle)
    {
        for (int i = 0; i + lowerNeedle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < lowerNeedle.Length && Lower(haystack[i + j]) == lowerNeedle[j])
            {
                j++;
            }

            if (j == lowerNeedle.Length)
            {
                return i;
            }
        }

        return -1;
    }

    private static byte Lower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;

    public async ValueTask DisposeAsync()
    {
        await _toServer.Writer.CompleteAsync();
        await _connection.WaitAsync(TimeSpan.FromSeconds(5));
        await _toClient.Reader.CompleteAsync();
    }
}
