using System.Net.Sockets;
using Alteran.Net.Identity.Dns;
using Alteran.Protocol.Syntax;

namespace Alteran.Net.Identity;

/// <summary>
/// Resolves a handle to a DID by the two methods of the atproto handle spec, as the reference resolver does: the DNS
/// TXT record <c>_atproto.&lt;handle&gt;</c> (exactly one <c>did=</c> record; other TXT records are ignored, two or
/// more <c>did=</c> records fail the method) and <c>https://&lt;handle&gt;/.well-known/atproto-did</c>, started
/// together; DNS wins when it answers, HTTPS is used only when DNS gives nothing. Results (found and not found) are
/// cached briefly. Reserved names (<c>.test</c> and the TLDs of <see cref="Handle.IsDisallowedTld(ReadOnlySpan{char})"/>)
/// never exist on the internet and are not looked up.
/// </summary>
public sealed class HandleResolver : IDisposable
{
    private const string DnsPrefix = "did=";
    private readonly HandleResolverOptions _options;
    private readonly DnsTxtClient? _dns;
    private readonly WellKnownDidClient _wellKnown;
    private readonly HandleCache _cache;
    private readonly SemaphoreSlim _concurrency;

    /// <summary>Creates a resolver.</summary>
    public HandleResolver(HandleResolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _dns = options.DnsServer is null ? null : new DnsTxtClient(options.DnsServer, options.DnsTimeout);
        _wellKnown = new WellKnownDidClient(options);
        _cache = new HandleCache(options.CacheCapacity, options.Time);
        _concurrency = new SemaphoreSlim(options.MaxConcurrentResolutions, options.MaxConcurrentResolutions);
    }

    /// <summary>The cache (exposed for diagnostics).</summary>
    public HandleCache Cache => _cache;

    /// <summary>The DID of <paramref name="handle"/> (a syntactically valid handle), or null when it does not resolve.</summary>
    /// <param name="handle">A syntactically valid handle.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <param name="fresh">Skip the cache read (the result is still cached): for <c>updateHandle</c>, where a user who
    /// has just fixed their DNS must not wait for a cached "not found" to expire.</param>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public async Task<string?> ResolveAsync(string handle, CancellationToken cancellationToken = default, bool fresh = false)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (!Handle.IsValid(handle.AsSpan()))
            throw new ArgumentException("Not a valid handle", nameof(handle));
        handle = handle.ToLowerInvariant();
        if (Handle.IsDisallowedTld(handle.AsSpan()) || Handle.IsTestTld(handle.AsSpan()))
            return null;
        if (!fresh && _cache.TryGet(handle, out string? cached))
            return cached;

        await _concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
        string? did;
        try
        {
            did = await ResolveUncachedAsync(handle, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _concurrency.Release();
        }
        _cache.Set(handle, did, did is null ? _options.NegativeCacheTtl : _options.PositiveCacheTtl);
        return did;
    }

    private async Task<string?> ResolveUncachedAsync(string handle, CancellationToken cancellationToken)
    {
        using var httpCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<string?> http = _wellKnown.FetchAsync(handle, httpCancel.Token);
        try
        {
            string? did = await ResolveDnsAsync(handle, cancellationToken).ConfigureAwait(false);
            if (did is not null)
            {
                await httpCancel.CancelAsync().ConfigureAwait(false);
                return did;
            }
            return await http.ConfigureAwait(false);
        }
        finally
        {
            // Never leave the HTTPS lookup running unobserved (it ends promptly once cancelled).
            if (!http.IsCompleted)
            {
                await httpCancel.CancelAsync().ConfigureAwait(false);
                try
                {
                    await http.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
    }

    /// <summary>The DNS method alone: the DID of the one <c>did=</c> TXT record of <c>_atproto.&lt;handle&gt;</c>, or null.</summary>
    public async Task<string?> ResolveDnsAsync(string handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (_dns is null)
            return null;
        DnsTxtAnswer answer;
        try
        {
            answer = await _dns.QueryTxtAsync("_atproto." + handle, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DnsFormatException or TimeoutException or SocketException or ArgumentException)
        {
            return null;
        }
        return ParseDnsRecords(answer.Records);
    }

    /// <summary>The DID of exactly one <c>did=</c> record among <paramref name="records"/>, when valid; else null.</summary>
    public static string? ParseDnsRecords(IReadOnlyList<string> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        string? found = null;
        foreach (string record in records)
        {
            if (!record.StartsWith(DnsPrefix, StringComparison.Ordinal))
                continue;
            if (found is not null)
                return null; // more than one did= record: ambiguous, the method fails
            found = record[DnsPrefix.Length..];
        }
        return found is not null && Did.IsValid(found.AsSpan()) ? found : null;
    }

    /// <summary>Releases the HTTP connection pool.</summary>
    public void Dispose()
    {
        _wellKnown.Dispose();
        _concurrency.Dispose();
    }
}
