using System.Net.Sockets;
using System.Text;

namespace Alteran.Load;

/// <summary>One keep-alive client connection: sends a request and reads exactly one response (Content-Length or chunked).</summary>
internal sealed class ClientConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    private ClientConnection(Socket socket) => _socket = socket;

    public static async Task<ClientConnection> ConnectAsync(LoadTarget target, CancellationToken cancellationToken, System.Net.IPAddress? source = null)
    {
        var socket = new Socket(target.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (source is not null)
        {
            socket.Bind(new System.Net.IPEndPoint(source, 0));
        }

        await socket.ConnectAsync(target.EndPoint, cancellationToken);
        return new ClientConnection(socket);
    }

    /// <summary>False once the server has closed the connection (readable with nothing to read) or it broke.</summary>
    public bool IsOpen
    {
        get
        {
            try
            {
                return !(_socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return false;
            }
        }
    }

    /// <summary>Sends <paramref name="request"/> and returns the status code of the response.</summary>
    public async ValueTask<int> SendAsync(byte[] request, CancellationToken cancellationToken)
    {
        await _socket.SendAsync(request, SocketFlags.None, cancellationToken);
        return await ReadResponseAsync(cancellationToken);
    }

    private async ValueTask<int> ReadResponseAsync(CancellationToken cancellationToken)
    {
        int headerEnd;
        while ((headerEnd = IndexOf("\r\n\r\n"u8)) < 0)
        {
            await FillAsync(cancellationToken);
        }

        ReadOnlySpan<byte> head = _buffer.AsSpan(_start, headerEnd - _start);
        int status = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
        long contentLength = FindContentLength(head);
        bool chunked = contentLength < 0 && head.IndexOf("chunked"u8) >= 0;
        _start = headerEnd + 4;
        if (chunked)
        {
            await SkipChunkedAsync(cancellationToken);
        }
        else if (contentLength > 0)
        {
            await SkipAsync(contentLength, cancellationToken);
        }

        return status;
    }

    private static long FindContentLength(ReadOnlySpan<byte> head)
    {
        int i = IndexOfIgnoreCase(head, "\r\ncontent-length:"u8);
        if (i < 0)
        {
            return -1;
        }

        ReadOnlySpan<byte> rest = head[(i + 17)..].TrimStart((byte)' ');
        long value = 0;
        foreach (byte b in rest)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                break;
            }

            value = value * 10 + (b - '0');
        }

        return value;
    }

    private static int IndexOfIgnoreCase(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> lowerNeedle)
    {
        for (int i = 0; i + lowerNeedle.Length <= haystack.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(haystack.Slice(i, lowerNeedle.Length), lowerNeedle))
            {
                return i;
            }
        }

        return -1;
    }

    private async ValueTask SkipChunkedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int lf;
            while ((lf = IndexOf("\r\n"u8)) < 0)
            {
                await FillAsync(cancellationToken);
            }

            long size = Convert.ToInt64(Encoding.ASCII.GetString(_buffer, _start, lf - _start).Split(';')[0], 16);
            _start = lf + 2;
            await SkipAsync(size + 2, cancellationToken);
            if (size == 0)
            {
                return;
            }
        }
    }

    private async ValueTask SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end)
            {
                await FillAsync(cancellationToken);
            }

            int n = (int)Math.Min(count, _end - _start);
            _start += n;
            count -= n;
        }
    }

    private int IndexOf(ReadOnlySpan<byte> token)
    {
        int i = _buffer.AsSpan(_start, _end - _start).IndexOf(token);
        return i < 0 ? -1 : _start + i;
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        int n = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
        if (n == 0)
        {
            throw new IOException("Server closed the connection.");
        }

        _end += n;
    }

    public void Dispose() => _socket.Dispose();
}
