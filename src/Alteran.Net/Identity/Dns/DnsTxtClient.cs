using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Alteran.Net.Identity.Dns;

/// <summary>
/// A minimal stub resolver for TXT records (.NET has none): one question to one recursive server over UDP, with a
/// random ID; datagrams with another ID are ignored (a bounded number of them), and a truncated answer is asked
/// again over TCP. UDP answers are at most 4 KiB and TCP answers at most 16 KiB; everything is bounded by
/// <see cref="Timeout"/>.
/// </summary>
public sealed class DnsTxtClient(IPEndPoint server, TimeSpan timeout)
{
    /// <summary>Largest UDP answer accepted (one byte more is read to tell a larger one apart, which fails).</summary>
    public const int MaxUdpResponseBytes = 4096;
    /// <summary>Largest TCP answer accepted.</summary>
    public const int MaxTcpResponseBytes = 16 * 1024;
    private const int MaxStrayDatagrams = 16;
    private const int UdpAttempts = 2;

    /// <summary>The recursive server asked.</summary>
    public IPEndPoint Server { get; } = server ?? throw new ArgumentNullException(nameof(server));

    /// <summary>Time limit of one whole query (UDP attempts plus any TCP retry).</summary>
    public TimeSpan Timeout { get; } = timeout;

    /// <summary>Asks for the TXT records of <paramref name="name"/>.</summary>
    /// <exception cref="DnsFormatException">A malformed or oversized answer.</exception>
    /// <exception cref="TimeoutException">No answer within <see cref="Timeout"/>.</exception>
    /// <exception cref="SocketException">The server cannot be reached.</exception>
    public async Task<DnsTxtAnswer> QueryTxtAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        byte[] query = ArrayPool<byte>.Shared.Rent(DnsMessage.MaxQueryLength);
        byte[] response = ArrayPool<byte>.Shared.Rent(MaxUdpResponseBytes + 1);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            ushort id = (ushort)RandomNumberGenerator.GetInt32(0, 0x10000);
            int queryLength = DnsMessage.WriteTxtQuery(query, id, name);
            DnsTxtAnswer answer = await QueryUdpAsync(query.AsMemory(0, queryLength), response, id, name, deadline.Token).ConfigureAwait(false);
            if (answer.Truncated)
                answer = await QueryTcpAsync(query.AsMemory(0, queryLength), id, name, deadline.Token).ConfigureAwait(false);
            return answer;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No DNS answer from {Server} within {Timeout.TotalSeconds:0.#} s");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(query);
            ArrayPool<byte>.Shared.Return(response);
        }
    }

    private async Task<DnsTxtAnswer> QueryUdpAsync(ReadOnlyMemory<byte> query, byte[] response, ushort id, string name, CancellationToken cancellationToken)
    {
        using var socket = new Socket(Server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(Server, cancellationToken).ConfigureAwait(false); // the kernel then drops datagrams from other peers
        TimeSpan perAttempt = Timeout / UdpAttempts;
        for (int attempt = 1; ; attempt++)
        {
            await socket.SendAsync(query, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            using var attemptDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (attempt < UdpAttempts)
                attemptDeadline.CancelAfter(perAttempt);
            try
            {
                for (int stray = 0; stray < MaxStrayDatagrams; stray++)
                {
                    int received = await socket.ReceiveAsync(response.AsMemory(0, MaxUdpResponseBytes + 1), SocketFlags.None, attemptDeadline.Token).ConfigureAwait(false);
                    if (received > MaxUdpResponseBytes)
                        throw new DnsFormatException($"DNS answer over UDP exceeds {MaxUdpResponseBytes} bytes");
                    // A late answer to an earlier query, or a spoofing attempt: not ours, keep listening.
                    if (received < DnsMessage.HeaderLength || DnsMessage.ReadId(response) != id || (response[2] & 0x80) == 0)
                        continue;
                    return DnsMessage.ParseTxtResponse(response.AsSpan(0, received), id, name);
                }
                throw new DnsFormatException("Too many unrelated DNS datagrams");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && attempt < UdpAttempts)
            {
                // This attempt timed out: send again (UDP may drop either datagram).
            }
        }
    }

    private async Task<DnsTxtAnswer> QueryTcpAsync(ReadOnlyMemory<byte> query, ushort id, string name, CancellationToken cancellationToken)
    {
        using var socket = new Socket(Server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(Server, cancellationToken).ConfigureAwait(false);
        byte[] prefixed = new byte[query.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(prefixed, (ushort)query.Length);
        query.CopyTo(prefixed.AsMemory(2));
        await socket.SendAsync(prefixed, SocketFlags.None, cancellationToken).ConfigureAwait(false);

        byte[] lengthPrefix = new byte[2];
        await ReceiveExactlyAsync(socket, lengthPrefix, cancellationToken).ConfigureAwait(false);
        int length = BinaryPrimitives.ReadUInt16BigEndian(lengthPrefix);
        if (length > MaxTcpResponseBytes)
            throw new DnsFormatException($"DNS answer over TCP is {length} bytes (limit {MaxTcpResponseBytes})");
        byte[] response = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            await ReceiveExactlyAsync(socket, response.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            DnsTxtAnswer answer = DnsMessage.ParseTxtResponse(response.AsSpan(0, length), id, name);
            if (answer.Truncated)
                throw new DnsFormatException("DNS answer over TCP is marked truncated");
            return answer;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(response);
        }
    }

    private static async Task ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            int read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
                throw new DnsFormatException("DNS server closed the TCP connection mid-answer");
            buffer = buffer[read..];
        }
    }
}
