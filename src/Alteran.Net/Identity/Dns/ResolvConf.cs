using System.Globalization;
using System.Net;

namespace Alteran.Net.Identity.Dns;

/// <summary>Reads the first <c>nameserver</c> of a resolv.conf (resolv.conf(5)); port 53.</summary>
public static class ResolvConf
{
    /// <summary>The system file.</summary>
    public const string DefaultPath = "/etc/resolv.conf";

    /// <summary>The first usable name server in <paramref name="path"/>, or null (no file, none listed).</summary>
    public static IPEndPoint? ReadFirstNameServer(string path = DefaultPath)
    {
        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length > 64 * 1024)
                return null;
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return ParseFirstNameServer(text);
    }

    /// <summary>The first <c>nameserver ADDRESS</c> line with an IP address (IPv6 zone ids kept), or null.</summary>
    public static IPEndPoint? ParseFirstNameServer(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (string raw in text.Split('\n'))
        {
            ReadOnlySpan<char> line = raw.AsSpan().Trim();
            if (!line.StartsWith("nameserver", StringComparison.Ordinal) || line.Length == 10 || !char.IsWhiteSpace(line[10]))
                continue;
            ReadOnlySpan<char> value = line[10..].Trim();
            int space = value.IndexOfAny(' ', '\t');
            if (space >= 0)
                value = value[..space];
            if (IPAddress.TryParse(value, out IPAddress? address))
                return new IPEndPoint(address, 53);
        }
        return null;
    }

    /// <summary>Parses <c>ip:port</c>, <c>[ipv6]:port</c> or a bare IP (port 53), as <c>PDS_DNS_RESOLVER</c> takes.</summary>
    public static bool TryParseServer(string value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        ArgumentNullException.ThrowIfNull(value);
        endPoint = null;
        if (IPAddress.TryParse(value, out IPAddress? bare) && !value.StartsWith('[') && (bare.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 || !value.Contains(':')))
        {
            endPoint = new IPEndPoint(bare, 53);
            return true;
        }
        if (IPEndPoint.TryParse(value, out IPEndPoint? parsed) && parsed.Port is > 0 and <= 65535
            && value.EndsWith(":" + parsed.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            && (value.StartsWith('[') || value.AsSpan().Count(':') == 1))
        {
            endPoint = parsed;
            return true;
        }
        return false;
    }
}
