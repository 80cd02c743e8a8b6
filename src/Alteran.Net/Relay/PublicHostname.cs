using System.Net;
using Alteran.Protocol.Syntax;

namespace Alteran.Net.Relay;

/// <summary>
/// Whether <c>PDS_HOSTNAME</c> names a host relays could crawl. The rule: a DNS name with at least two labels, no
/// port (relays crawl <c>https://host</c> on 443), not an IP literal, not <c>localhost</c>, not under a special-use
/// TLD (<c>.test .local .localhost .invalid .example .internal .arpa .onion .alt</c>, plus the common private
/// suffixes <c>.lan .home .corp .intranet .private</c>), and not the RFC 2606 documentation domains
/// <c>example.com/.net/.org</c> or their subdomains.
/// </summary>
public static class PublicHostname
{
    private static readonly string[] PrivateTlds = ["lan", "home", "corp", "intranet", "private"];
    private static readonly string[] DocumentationDomains = ["example.com", "example.net", "example.org"];

    /// <summary>True when <paramref name="hostname"/> may be announced to relays.</summary>
    public static bool IsPublic(string? hostname)
    {
        if (string.IsNullOrEmpty(hostname) || hostname.Contains(':') || IPAddress.TryParse(hostname, out _))
            return false;
        string host = hostname.ToLowerInvariant();
        if (!Handle.IsValid(host.AsSpan()) || Handle.IsDisallowedTld(host.AsSpan()) || Handle.IsTestTld(host.AsSpan()))
            return false;
        string tld = host[(host.LastIndexOf('.') + 1)..];
        foreach (string t in PrivateTlds)
        {
            if (tld == t)
                return false;
        }
        foreach (string domain in DocumentationDomains)
        {
            if (host == domain || host.EndsWith("." + domain, StringComparison.Ordinal))
                return false;
        }
        return true;
    }
}
