using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Alteran.Load.Xrpc.Fanout;

/// <summary>What a <see cref="RawSubscriber"/> does with each complete message (frame) it receives.</summary>
internal interface IFrameSink
{
    /// <param name="subscriber">The receiving subscriber (its <see cref="RawSubscriber.Index"/> says which).</param>
    /// <param name="head">The first bytes of the message (up to <see cref="RawSubscriber.HeadBytes"/>): DAG-CBOR header + start of body.</param>
    /// <param name="length">The whole message's length.</param>
    /// <param name="now">Stopwatch timestamp of the read that completed the message.</param>
    void OnMessage(RawSubscriber subscriber, ReadOnlySpan<byte> head, long length, long now);
}

/// <summary>
/// A minimal WebSocket client for many concurrent firehose subscriptions: a raw socket bound to a chosen loopback
/// source address, a hand-written upgrade request, one receive loop into a small buffer (a 4 KiB slice of one pinned
/// slab shared by all subscribers: one receive syscall per read, no zero-byte read), and an incremental
/// frame parser that keeps only the first <see cref="HeadBytes"/> bytes of each message (enough for the DAG-CBOR
/// header and, for single-op commits, the body's <c>seq</c>). Pings are answered; nothing is allocated per frame.
/// </summary>
internal sealed class RawSubscriber : IDisposable
{
    public const int HeadBytes = 512;
    private const int ReadBufferBytes = 16 * 1024;

    private readonly Socket _socket;
    private readonly IFrameSink _sink;
    private readonly byte[] _head = new byte[HeadBytes];
    private readonly byte[] _frameHeader = new byte[14];
    private readonly byte[] _control = new byte[125];
    private int _frameHeaderLength;
    private bool _inPayload;
    private long _remaining;
    private int _opcode;
    private bool _fin;
    private int _controlLength;
    private int _headLength;
    private long _messageLength;

    public RawSubscriber(int index, IPAddress source, IFrameSink sink)
    {
        Index = index;
        _sink = sink;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Bind(new IPEndPoint(source, 0));
    }

    public int Index { get; }

    /// <summary>Complete messages received.</summary>
    public long Messages;

    /// <summary>Stopwatch timestamp of the last complete message.</summary>
    public long LastMessageAt;

    /// <summary>Bytes received after the upgrade (frame headers included).</summary>
    public long Bytes;

    /// <summary>Why the subscription failed or ended early (null while fine).</summary>
    public string? Error;

    /// <summary>Connects and upgrades; false (with <see cref="Error"/>) when refused.</summary>
    public async Task<bool> ConnectAsync(IPEndPoint server, string pathAndQuery, string host, CancellationToken ct)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadBufferBytes);
        try
        {
            await _socket.ConnectAsync(server, ct);
            // A fixed key: the server's Sec-WebSocket-Accept is not checked (loopback benchmark, not a security boundary).
            byte[] request = Encoding.ASCII.GetBytes(
                $"GET {pathAndQuery} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Key: YWx0ZXJhbi1sb2FkLWtleQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            await _socket.SendAsync(request, SocketFlags.None, ct);
            int filled = 0;
            while (true)
            {
                int n = await _socket.ReceiveAsync(buffer.AsMemory(filled, 8192 - filled), SocketFlags.None, ct);
                if (n == 0)
                {
                    Error = "upgrade: connection closed";
                    return false;
                }

                filled += n;
                int end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
                if (end >= 0)
                {
                    ReadOnlySpan<byte> status = buffer.AsSpan(0, Math.Min(filled, 64));
                    if (!status.StartsWith("HTTP/1.1 101"u8))
                    {
                        int eol = status.IndexOf("\r\n"u8);
                        Error = "upgrade refused: " + Encoding.ASCII.GetString(eol > 0 ? status[..eol] : status);
                        return false;
                    }

                    Consume(buffer.AsSpan(end + 4, filled - end - 4), Stopwatch.GetTimestamp());
                    return true;
                }

                if (filled >= 8192)
                {
                    Error = "upgrade: response headers too large";
                    return false;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            Error = "connect: " + ex.Message;
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads until the server closes, the socket is disposed or <paramref name="ct"/> fires, into
    /// <paramref name="buffer"/> (this subscriber's slice of a shared pinned slab, see <see cref="SubscriberSet"/>).
    /// </summary>
    public async Task ReceiveLoopAsync(Memory<byte> buffer, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                int n = await _socket.ReceiveAsync(buffer, SocketFlags.None, ct);
                if (n == 0)
                {
                    Error ??= "closed by server";
                    return;
                }

                Bytes += n;
                if (!Consume(buffer.Span[..n], Stopwatch.GetTimestamp()))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Disposed at the end of the phase, or the connection dropped.
        }
    }

    /// <summary>Feeds received bytes to the frame parser; false once a close frame arrived.</summary>
    private bool Consume(ReadOnlySpan<byte> data, long now)
    {
        while (!data.IsEmpty)
        {
            if (!_inPayload)
            {
                _frameHeader[_frameHeaderLength++] = data[0];
                data = data[1..];
                int need = HeaderLength();
                if (_frameHeaderLength < need)
                {
                    continue;
                }

                StartFrame();
                if (_remaining == 0 && !EndFrame(now))
                {
                    return false;
                }

                continue;
            }

            int take = (int)Math.Min(_remaining, data.Length);
            ReadOnlySpan<byte> chunk = data[..take];
            if (_opcode >= 8)
            {
                chunk.CopyTo(_control.AsSpan(_controlLength));
                _controlLength += take;
            }
            else
            {
                int keep = Math.Min(take, HeadBytes - _headLength);
                if (keep > 0)
                {
                    chunk[..keep].CopyTo(_head.AsSpan(_headLength));
                    _headLength += keep;
                }

                _messageLength += take;
            }

            data = data[take..];
            _remaining -= take;
            if (_remaining == 0 && !EndFrame(now))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Header bytes needed so far: 2, then the extended length, then the mask key (servers do not mask).</summary>
    private int HeaderLength()
    {
        if (_frameHeaderLength < 2)
        {
            return 2;
        }

        int len = _frameHeader[1] & 0x7F;
        int n = 2 + (len == 126 ? 2 : len == 127 ? 8 : 0);
        return (_frameHeader[1] & 0x80) != 0 ? n + 4 : n;
    }

    private void StartFrame()
    {
        _fin = (_frameHeader[0] & 0x80) != 0;
        int opcode = _frameHeader[0] & 0x0F;
        int len = _frameHeader[1] & 0x7F;
        _remaining = len switch
        {
            126 => (_frameHeader[2] << 8) | _frameHeader[3],
            127 => (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(_frameHeader.AsSpan(2, 8)),
            _ => len,
        };
        if (opcode >= 8)
        {
            _remaining = Math.Min(_remaining, _control.Length);
            _controlLength = 0;
        }

        if (opcode != 0)
        {
            _opcode = opcode; // a continuation keeps its message's opcode; a control frame may sit between fragments
        }

        _frameHeaderLength = 0;
        _inPayload = true;
    }

    private bool EndFrame(long now)
    {
        _inPayload = false;
        if (_opcode >= 8)
        {
            int controlOpcode = _opcode;
            _opcode = 2; // resume the interrupted data message, if any
            if (controlOpcode == 8)
            {
                Error ??= "close frame from server";
                return false;
            }

            if (controlOpcode == 9)
            {
                SendPong();
            }

            return true;
        }

        if (!_fin)
        {
            return true;
        }

        Messages++;
        LastMessageAt = now;
        _sink.OnMessage(this, _head.AsSpan(0, _headLength), _messageLength, now);
        _headLength = 0;
        _messageLength = 0;
        return true;
    }

    private void SendPong()
    {
        // Client frames must be masked; a zero mask key leaves the payload as is.
        Span<byte> frame = stackalloc byte[6 + 125];
        frame[0] = 0x8A;
        frame[1] = (byte)(0x80 | _controlLength);
        frame.Slice(2, 4).Clear();
        _control.AsSpan(0, _controlLength).CopyTo(frame[6..]);
        try
        {
            _socket.Send(frame[..(6 + _controlLength)], SocketFlags.None);
        }
        catch (SocketException)
        {
        }
    }

    public void Dispose() => _socket.Dispose();
}
