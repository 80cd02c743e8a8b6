namespace Alteran.Net.Identity.Dns;

/// <summary>
/// The outcome of one TXT question: the response code, whether the server truncated the answer (TC bit: ask
/// again over TCP), and each TXT record of the queried name (or its CNAME targets) with its character-strings joined.
/// </summary>
public sealed class DnsTxtAnswer
{
    /// <summary>RCODE of the response.</summary>
    public DnsResponseCode ResponseCode { get; init; }

    /// <summary>True when the TC bit was set; <see cref="Records"/> is then empty.</summary>
    public bool Truncated { get; init; }

    /// <summary>TXT records in answer order, each the concatenation of its character-strings (UTF-8 decoded).</summary>
    public IReadOnlyList<string> Records { get; init; } = [];

    /// <summary>Smallest TTL among the returned TXT records (seconds); 0 when there are none.</summary>
    public uint MinTtlSeconds { get; init; }
}
