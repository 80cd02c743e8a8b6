using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Alteran.Protocol.Syntax;

namespace Alteran.Net.Identity;

/// <summary>
/// The HTTPS handle method: <c>GET https://&lt;handle&gt;/.well-known/atproto-did</c>, body = the DID (first line,
/// trimmed). Strict: status 200 only, at most <see cref="HandleResolverOptions.MaxRedirects"/> redirects and only
/// to the same scheme, host and port, a bounded body that must be UTF-8 and a valid DID, one overall time limit,
/// and connections only to public addresses (see <see cref="PublicAddress"/>). Uses the in-box
/// <see cref="HttpClient"/> (AOT-safe, and it brings TLS, which a hand-written client would have to redo).
/// </summary>
public sealed class WellKnownDidClient : IDisposable
{
    /// <summary>The well-known path.</summary>
    public const string Path = "/.well-known/atproto-did";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly HandleResolverOptions _options;
    private readonly HttpClient _http;

    /// <summary>Creates the client (one connection pool, shared by every lookup).</summary>
    public WellKnownDidClient(HandleResolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false, // followed by hand: same host only
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.HttpTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 4,
            MaxResponseHeadersLength = 16, // KiB
        };
        if (options.WellKnownOriginOverride is null)
            handler.ConnectCallback = ConnectToPublicAddressAsync;
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }; // our own deadline covers the redirects too
    }

    /// <summary>The DID <paramref name="handle"/> serves, or null (any failure: network, status, size, syntax).</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public async Task<string?> FetchAsync(string handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.HttpTimeout);
        Uri? origin = _options.WellKnownOriginOverride;
        var url = origin is null ? new Uri("https://" + handle + Path) : new Uri(origin, Path);
        try
        {
            for (int hop = 0; hop <= _options.MaxRedirects; hop++)
            {
                using var request = new HttpRequestMessage(System.Net.Http.HttpMethod.Get, url);
                if (origin is not null)
                    request.Headers.Host = handle;
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));
                using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
                int status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308)
                {
                    Uri? location = response.Headers.Location;
                    if (location is null)
                        return null;
                    Uri next = location.IsAbsoluteUri ? location : new Uri(url, location);
                    if (!string.Equals(next.Scheme, url.Scheme, StringComparison.OrdinalIgnoreCase)
                        || !string.Equals(next.IdnHost, url.IdnHost, StringComparison.OrdinalIgnoreCase) || next.Port != url.Port)
                        return null;
                    url = next;
                    continue;
                }
                if (status != 200)
                    return null;
                return await ReadDidAsync(response.Content, deadline.Token).ConfigureAwait(false);
            }
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // our deadline
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException or UriFormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private async Task<string?> ReadDidAsync(HttpContent content, CancellationToken cancellationToken)
    {
        int max = _options.MaxWellKnownBytes;
        if (content.Headers.ContentLength > max)
            return null;
        Stream body = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            byte[] buffer = new byte[max + 1];
            int total = 0;
            while (total < buffer.Length)
            {
                int read = await body.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                    break;
                total += read;
            }
            if (total > max)
                return null;
            return ParseBody(buffer.AsSpan(0, total));
        }
    }

    /// <summary>The DID in a well-known body: the first line, trimmed, if it is valid UTF-8 and a valid DID.</summary>
    public static string? ParseBody(ReadOnlySpan<byte> body)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        int newline = text.IndexOf('\n');
        string did = (newline >= 0 ? text[..newline] : text).Trim();
        return Did.IsValid(did.AsSpan()) ? did : null;
    }

    private static ValueTask<Stream> ConnectToPublicAddressAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken) =>
        ConnectToPublicAddressAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken);

    /// <summary>Connects to the first public address of <paramref name="host"/>; never to an internal one.</summary>
    /// <exception cref="HttpRequestException">The name has no reachable public address.</exception>
    internal static async ValueTask<Stream> ConnectToPublicAddressAsync(string host, int port, CancellationToken cancellationToken)
    {
        IPAddress[] addresses = await System.Net.Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        SocketException? last = null;
        foreach (IPAddress address in addresses)
        {
            if (!PublicAddress.IsPublic(address))
                continue;
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw new HttpRequestException($"No reachable public address for {host}", last);
    }

    /// <summary>Closes the connection pool.</summary>
    public void Dispose() => _http.Dispose();
}
