using System.Net;

namespace Alteran.Load.Xrpc;

/// <summary>Parses the target URL and refuses anything that is not loopback (127.0.0.0/8, localhost, ::1).</summary>
internal static class LoopbackUri
{
    public static Uri Parse(string target)
    {
        var uri = new Uri(target.TrimEnd('/') + "/", UriKind.Absolute);
        if (uri.Scheme != "http")
        {
            throw new ArgumentException("Only http:// targets are supported.");
        }

        string host = uri.Host.Trim('[', ']');
        bool loopback = host == "localhost" || (IPAddress.TryParse(host, out IPAddress? ip) && IPAddress.IsLoopback(ip));
        if (!loopback)
        {
            throw new ArgumentException($"Refusing non-loopback target {uri.Host}: this tool only loads 127.0.0.0/8, localhost or ::1.");
        }

        return uri;
    }
}
