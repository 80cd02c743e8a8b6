using System.Net;
using System.Net.Sockets;

namespace Alteran.Net.Xrpc;

/// <summary>
/// Maps a client address to a 128-bit key without allocating: IPv4 (and IPv4-mapped IPv6) keep the whole address,
/// native IPv6 is keyed by its /64 prefix, since one client (a home line, a VM) usually holds a whole /64 and could
/// otherwise rotate addresses to dodge the limit and flood the key table.
/// </summary>
public static class RateLimitKey
{
    /// <summary>The key for <paramref name="address"/>.</summary>
    public static UInt128 From(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out int written))
        {
            return UInt128.Zero;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork && written == 4)
        {
            return V4Key(bytes[..4]);
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return V4Key(bytes.Slice(12, 4));
        }

        // /64 prefix in the high half, low half zero: never equal to a v4 key (high half zero, low half non-zero).
        ulong prefix = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes);
        return new UInt128(prefix, 0);
    }

    private static UInt128 V4Key(ReadOnlySpan<byte> v4) =>
        new(0, 0xFFFF_0000_0000UL | System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(v4));
}
