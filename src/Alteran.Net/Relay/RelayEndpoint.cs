using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Alteran.Net.Relay;

/// <summary>
/// One <c>PDS_RELAY_HOSTS</c> entry: a bare host name (<c>bsky.network</c> → <c>https://bsky.network</c>) or an
/// explicit origin. An explicit <c>http://</c> origin is allowed only for a loopback address
/// (<c>http://127.0.0.1:port</c>, <c>http://[::1]:port</c>): that is a test relay; a real relay is https.
/// </summary>
public static class RelayEndpoint
{
    /// <summary>The requestCrawl path.</summary>
    public const string RequestCrawlPath = "/xrpc/com.atproto.sync.requestCrawl";

    /// <summary>Parses an entry into the relay's requestCrawl URL.</summary>
    public static bool TryParse(string entry, [NotNullWhen(true)] out Uri? requestCrawlUrl)
    {
        ArgumentNullException.ThrowIfNull(entry);
        requestCrawlUrl = null;
        Uri? origin;
        if (entry.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(entry, UriKind.Absolute, out origin) || origin.AbsolutePath != "/" || origin.Query.Length > 0
                || origin.Fragment.Length > 0 || origin.UserInfo.Length > 0)
                return false;
            bool loopback = IPAddress.TryParse(origin.Host.Trim('[', ']'), out IPAddress? address) && IPAddress.IsLoopback(address);
            if (!(origin.Scheme == Uri.UriSchemeHttps || (origin.Scheme == Uri.UriSchemeHttp && loopback)))
                return false;
        }
        else if (!Hosting.IdentifierSyntax.IsValidHostname(entry) || !Uri.TryCreate("https://" + entry + "/", UriKind.Absolute, out origin))
        {
            return false;
        }
        requestCrawlUrl = new Uri(origin, RequestCrawlPath);
        return true;
    }
}
