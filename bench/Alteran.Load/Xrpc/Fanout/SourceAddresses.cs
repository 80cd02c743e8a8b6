using System.Net;

namespace Alteran.Load.Xrpc.Fanout;

/// <summary>
/// Loopback source addresses for many client sockets: 127.0.1.1, 127.0.1.2, ... (all of 127.0.0.0/8 is loopback on
/// Linux), so a server's per-IP WebSocket / connection cap is not hit: socket <c>i</c> binds address
/// <c>i / perAddress</c>. 127.0.0.x is left to the writer and probe.
/// </summary>
internal static class SourceAddresses
{
    public const int MaxAddresses = 250 * 250;

    public static IPAddress For(int socketIndex, int perAddress)
    {
        int k = socketIndex / Math.Max(1, perAddress);
        if (k >= MaxAddresses)
        {
            throw new ArgumentOutOfRangeException(nameof(socketIndex), "too many sockets for the loopback source addresses");
        }

        return new IPAddress(new byte[] { 127, 0, (byte)(1 + k / 250), (byte)(1 + k % 250) });
    }
}
