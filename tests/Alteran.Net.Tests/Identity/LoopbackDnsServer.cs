using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Alteran.Net.Tests.Identity;

/// <summary>
/// A real DNS server on 127.0.0.1 (UDP, and TCP on the same port) answering TXT questions from a table, written
/// independently of the code under test (its own encoder, no compression). Names marked <see cref="Truncate"/>
/// get a TC answer over UDP and the full answer over TCP; <see cref="Silent"/> names get no answer at all;
/// <see cref="StrayFirst"/> names get a datagram with a wrong ID before the real answer.
/// </summary>
internal sealed class LoopbackDnsServer : IAsyncDisposable
{
    private readonly Socket _udp;
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;

    public LoopbackDnsServer()
    {
        // UDP and TCP must share the port: bind UDP on an ephemeral port, then TCP on the same (retry on a clash).
        for (int attempt = 0; ; attempt++)
        {
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var tcp = new TcpListener(IPAddress.Loopback, ((IPEndPoint)udp.LocalEndPoint!).Port);
            try
            {
                tcp.Start();
                _udp = udp;
                _tcp = tcp;
                break;
            }
            catch (SocketException) when (attempt < 20)
            {
                udp.Dispose();
            }
        }
        _udpLoop = Task.Run(UdpLoopAsync);
        _tcpLoop = Task.Run(TcpLoopAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_udp.LocalEndPoint!;

    /// <summary>name (lower-case, no trailing dot) → TXT records, each a list of character-strings.</summary>
    public ConcurrentDictionary<string, string[][]> Records { get; } = new();

    public ConcurrentDictionary<string, bool> Truncate { get; } = new();
    public ConcurrentDictionary<string, bool> Silent { get; } = new();
    public ConcurrentDictionary<string, bool> StrayFirst { get; } = new();

    public int UdpQueries;
    public int TcpQueries;

    public void SetTxt(string name, params string[] records) =>
        Records[name] = records.Select(r => new[] { r }).ToArray();

    private async Task UdpLoopAsync()
    {
        byte[] buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            Interlocked.Increment(ref UdpQueries);
            (ushort id, string name, ushort type) = ParseQuery(buffer.AsSpan(0, received.ReceivedBytes));
            if (Silent.ContainsKey(name))
                continue;
            if (StrayFirst.ContainsKey(name))
                await _udp.SendToAsync(BuildAnswer((ushort)(id ^ 0x5555), name, type, truncated: false), SocketFlags.None, received.RemoteEndPoint);
            byte[] answer = BuildAnswer(id, name, type, truncated: Truncate.ContainsKey(name));
            await _udp.SendToAsync(answer, SocketFlags.None, received.RemoteEndPoint);
        }
    }

    private async Task TcpLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _tcp.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            using (client)
            {
                Interlocked.Increment(ref TcpQueries);
                NetworkStream stream = client.GetStream();
                byte[] prefix = new byte[2];
                await stream.ReadExactlyAsync(prefix, _stop.Token);
                byte[] query = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                await stream.ReadExactlyAsync(query, _stop.Token);
                (ushort id, string name, ushort type) = ParseQuery(query);
                byte[] answer = BuildAnswer(id, name, type, truncated: false);
                byte[] framed = new byte[answer.Length + 2];
                BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)answer.Length);
                answer.CopyTo(framed, 2);
                await stream.WriteAsync(framed, _stop.Token);
            }
        }
    }

    private static (ushort Id, string Name, ushort Type) ParseQuery(ReadOnlySpan<byte> query)
    {
        ushort id = BinaryPrimitives.ReadUInt16BigEndian(query);
        var labels = new List<string>();
        int pos = 12;
        while (query[pos] != 0)
        {
            labels.Add(Encoding.ASCII.GetString(query.Slice(pos + 1, query[pos])));
            pos += 1 + query[pos];
        }
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(query[(pos + 1)..]);
        return (id, string.Join('.', labels).ToLowerInvariant(), type);
    }

    private byte[] BuildAnswer(ushort id, string name, ushort type, bool truncated)
    {
        bool exists = Records.TryGetValue(name, out string[][]? records);
        var message = new List<byte>();
        void U16(int v) { message.Add((byte)(v >> 8)); message.Add((byte)v); }
        void Name(string n)
        {
            foreach (string label in n.Split('.'))
            {
                message.Add((byte)label.Length);
                message.AddRange(Encoding.ASCII.GetBytes(label));
            }
            message.Add(0);
        }
        U16(id);
        int flags = 0x8180 | (truncated ? 0x0200 : 0) | (exists ? 0 : 3); // QR RD RA, NXDOMAIN when absent
        U16(flags);
        U16(1);
        U16(truncated || !exists || type != 16 ? 0 : records!.Length);
        U16(0);
        U16(0);
        Name(name);
        U16(type);
        U16(1);
        if (!truncated && exists && type == 16)
        {
            foreach (string[] record in records!)
            {
                Name(name);
                U16(16);
                U16(1);
                U16(0); U16(300); // TTL
                byte[][] strings = record.Select(Encoding.UTF8.GetBytes).ToArray();
                U16(strings.Sum(s => s.Length + 1));
                foreach (byte[] s in strings)
                {
                    message.Add((byte)s.Length);
                    message.AddRange(s);
                }
            }
        }
        return message.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        _tcp.Stop();
        try
        {
            await Task.WhenAll(_udpLoop, _tcpLoop);
        }
        catch (Exception)
        {
        }
        _stop.Dispose();
    }
}
