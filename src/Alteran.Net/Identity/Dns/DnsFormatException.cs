namespace Alteran.Net.Identity.Dns;

/// <summary>A DNS message that is malformed, does not answer our question, or exceeds a limit.</summary>
public sealed class DnsFormatException(string message) : Exception(message);
