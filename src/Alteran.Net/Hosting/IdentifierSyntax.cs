using Alteran.Protocol.Syntax;

namespace Alteran.Net.Hosting;

/// <summary>Identifier checks for start-up validation: DID and handle from Protocol.Syntax, plus host names.</summary>
internal static class IdentifierSyntax
{
    /// <summary>DID syntax (atproto spec), from <see cref="Did"/>.</summary>
    public static bool IsValidDid(string did) => Did.IsValid(did.AsSpan());

    /// <summary>Handle syntax (atproto spec), from <see cref="Handle"/>.</summary>
    public static bool IsValidHandle(string handle) => Handle.IsValid(handle.AsSpan());

    /// <summary>
    /// Host name for PDS_HOSTNAME: DNS labels (localhost allowed) with an optional <c>:port</c> (1–65535; did:web
    /// writes it as <c>%3A</c>), no scheme or path. A port matters for development servers on a non-default port.
    /// </summary>
    public static bool IsValidHostname(string host)
    {
        int colon = host.LastIndexOf(':');
        if (colon < 0)
            return IsDnsName(host, requireDot: false);
        ReadOnlySpan<char> port = host.AsSpan(colon + 1);
        return port.Length is > 0 and <= 5 && !port.ContainsAnyExceptInRange('0', '9') && port[0] != '0'
            && int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) <= 65535
            && IsDnsName(host[..colon], requireDot: false);
    }

    private static bool IsDnsName(string name, bool requireDot)
    {
        if (name.Length is 0 or > 253)
        {
            return false;
        }

        string[] labels = name.Split('.');
        if (requireDot && labels.Length < 2)
        {
            return false;
        }

        foreach (string label in labels)
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (char c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                {
                    return false;
                }
            }
        }

        return !char.IsAsciiDigit(labels[^1][0]);
    }
}
