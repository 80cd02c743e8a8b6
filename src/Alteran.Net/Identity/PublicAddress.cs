using System.Net;
using System.Net.Sockets;

namespace Alteran.Net.Identity;

/// <summary>
/// Whether an address is on the public internet. Handle resolution connects to whatever a stranger's DNS names, so
/// it refuses loopback, private, link-local, shared (CGNAT), multicast and unspecified addresses (no requests into
/// this host's network on someone else's behalf).
/// </summary>
public static class PublicAddress
{
    /// <summary>True when <paramref name="address"/> is globally routable unicast.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224
                || (b[0] == 100 && (b[1] & 0xC0) == 64)    // 100.64.0.0/10
                || (b[0] == 169 && b[1] == 254)            // link-local
                || (b[0] == 172 && (b[1] & 0xF0) == 16)    // 172.16.0.0/12
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0) // IETF protocol assignments
                || (b[0] == 198 && (b[1] & 0xFE) == 18));  // benchmarking
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            Span<byte> b = stackalloc byte[16];
            address.TryWriteBytes(b, out _);
            return !(IPAddress.IPv6Loopback.Equals(address) || IPAddress.IPv6Any.Equals(address)
                || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC                   // unique local fc00::/7
                || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)); // documentation
        }
        return false;
    }
}
