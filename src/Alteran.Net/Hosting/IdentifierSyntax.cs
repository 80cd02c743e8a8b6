namespace Alteran.Net.Hosting;

/// <summary>
/// Minimal DID / handle / host name checks for start-up validation.
/// TODO(syntax): replace with Alteran.Protocol.Syntax.Did.IsValid / Handle.IsValid when the syntax branch lands.
/// </summary>
internal static class IdentifierSyntax
{
    /// <summary><c>did:method:identifier</c> per the atproto DID syntax (method lowercase letters, identifier chars, no trailing ':' or '%').</summary>
    public static bool IsValidDid(string did)
    {
        if (did.Length > 2048 || !did.StartsWith("did:", StringComparison.Ordinal))
        {
            return false;
        }

        int colon = did.IndexOf(':', 4);
        if (colon <= 4 || colon == did.Length - 1)
        {
            return false;
        }

        for (int i = 4; i < colon; i++)
        {
            if (did[i] is < 'a' or > 'z')
            {
                return false;
            }
        }

        for (int i = colon + 1; i < did.Length; i++)
        {
            char c = did[i];
            if (!char.IsAsciiLetterOrDigit(c) && c is not '.' and not '_' and not ':' and not '%' and not '-')
            {
                return false;
            }
        }

        return did[^1] is not ':' and not '%';
    }

    /// <summary>Handle: 2+ DNS labels of 1–63 letters/digits/hyphens (not at either end), at most 253 chars, TLD not starting with a digit.</summary>
    public static bool IsValidHandle(string handle) => IsDnsName(handle, requireDot: true);

    /// <summary>Host name for PDS_HOSTNAME: DNS labels (localhost allowed), no scheme, port or path.</summary>
    public static bool IsValidHostname(string host) => IsDnsName(host, requireDot: false);

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
