using System.Net;

namespace Alteran.Net.Identity;

/// <summary>Settings of <see cref="HandleResolver"/>; defaults are the production values.</summary>
public sealed class HandleResolverOptions
{
    /// <summary>Recursive DNS server for the TXT method; null disables the DNS method.</summary>
    public IPEndPoint? DnsServer { get; init; }

    /// <summary>Time limit of the DNS query (reference resolver: 3 s overall).</summary>
    public TimeSpan DnsTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Time limit of the whole HTTPS well-known fetch, redirects included.</summary>
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Largest <c>/.well-known/atproto-did</c> body read (a DID is at most 2 KiB).</summary>
    public int MaxWellKnownBytes { get; init; } = 2048;

    /// <summary>Redirects followed, to the same host only (the spec allows a bounded number).</summary>
    public int MaxRedirects { get; init; } = 3;

    /// <summary>How long a resolved handle is remembered.</summary>
    public TimeSpan PositiveCacheTtl { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a failed resolution is remembered (so repeated lookups of a dead name cost nothing).</summary>
    public TimeSpan NegativeCacheTtl { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Most cached handles.</summary>
    public int CacheCapacity { get; init; } = 4096;

    /// <summary>Most resolutions running at once (each may open a UDP socket and an HTTPS connection).</summary>
    public int MaxConcurrentResolutions { get; init; } = 32;

    /// <summary>
    /// TESTS ONLY (never read from configuration): send the well-known request to this <c>http://127.0.0.1:port</c>
    /// origin, with the handle in the Host header, instead of <c>https://&lt;handle&gt;</c>. Also lifts the
    /// public-address check, as the test server is on loopback.
    /// </summary>
    public Uri? WellKnownOriginOverride { get; init; }

    /// <summary>Clock of the cache.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
