namespace Alteran.Net.Identity.Dns;

/// <summary>The RCODE of a DNS response header (RFC 1035 §4.1.1); values above 5 are kept as numbers.</summary>
public enum DnsResponseCode
{
    /// <summary>No error.</summary>
    NoError = 0,
    /// <summary>The server could not interpret the query.</summary>
    FormatError = 1,
    /// <summary>The server failed.</summary>
    ServerFailure = 2,
    /// <summary>The name does not exist (NXDOMAIN).</summary>
    NameError = 3,
    /// <summary>Query kind not supported.</summary>
    NotImplemented = 4,
    /// <summary>The server refused.</summary>
    Refused = 5,
}
