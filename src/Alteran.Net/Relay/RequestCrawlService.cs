using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Alteran.Net.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Alteran.Net.Relay;

/// <summary>
/// Asks relays to crawl this PDS: <c>POST /xrpc/com.atproto.sync.requestCrawl {"hostname": PDS_HOSTNAME}</c> to every
/// <c>PDS_RELAY_HOSTS</c> entry at start-up and then every <see cref="AlteranOptions.RelayCrawlInterval"/> (12 h),
/// only when the host name is public (<see cref="PublicHostname"/>). Runs as a background task of the host: start-up
/// does not wait for it, a slow or failing relay affects nothing but its own log line (a failure is tried again at
/// the next interval, not sooner), and shutdown cancels it. Uses the in-box <see cref="HttpClient"/>: AOT-safe and
/// it brings TLS, which relays require.
/// </summary>
public sealed class RequestCrawlService : IHostedService, IDisposable
{
    /// <summary>Time limit of one requestCrawl call (connect included).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private const int MaxLoggedBodyBytes = 512;

    private readonly List<Uri> _relays = [];
    private readonly string? _hostname;
    private readonly string? _skipReason;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private int _roundsStarted;
    private int _roundsCompleted;

    /// <summary>Creates the service; <paramref name="hostname"/> is the PDS's public host name.</summary>
    public RequestCrawlService(AlteranOptions options, string? hostname, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        _interval = options.RelayCrawlInterval;
        foreach (string entry in options.RelayHosts)
        {
            if (RelayEndpoint.TryParse(entry, out Uri? url)) // options validation reports bad entries at start-up
                _relays.Add(url);
        }
        if (_relays.Count == 0)
            _skipReason = "no relays configured (PDS_RELAY_HOSTS)";
        else if (!options.TreatHostnameAsPublic && !PublicHostname.IsPublic(hostname))
            _skipReason = $"PDS_HOSTNAME '{hostname}' is not a public host name";
        else
            _hostname = hostname;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            MaxResponseHeadersLength = 16, // KiB
        })
        { Timeout = RequestTimeout };
    }

    /// <summary>True when requests will be sent (relays configured, host name public).</summary>
    public bool IsEnabled => _hostname is not null;

    /// <summary>Rounds begun (one request per relay each).</summary>
    public int RoundsStarted => Volatile.Read(ref _roundsStarted);

    /// <summary>Rounds finished (every relay answered, failed or timed out).</summary>
    public int RoundsCompleted => Volatile.Read(ref _roundsCompleted);

    /// <summary>Starts the background loop and returns at once.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_hostname is null)
        {
            RelayLog.Skipped(_logger, _skipReason!);
            return Task.CompletedTask;
        }
        _loop = Task.Run(() => RunAsync(_hostname, _stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Cancels the loop (an in-flight request included) and waits for it to end.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync(string hostname, CancellationToken cancellationToken)
    {
        byte[] body = BuildBody(hostname);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _roundsStarted);
                var calls = new Task[_relays.Count];
                for (int i = 0; i < calls.Length; i++)
                    calls[i] = RequestCrawlAsync(_relays[i], hostname, body, cancellationToken);
                await Task.WhenAll(calls).ConfigureAwait(false);
                Interlocked.Increment(ref _roundsCompleted);
                await Task.Delay(_interval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task RequestCrawlAsync(Uri relay, string hostname, byte[] body, CancellationToken cancellationToken)
    {
        string name = relay.GetLeftPart(UriPartial.Authority);
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using HttpResponseMessage response = await _http.PostAsync(relay, content, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                RelayLog.Accepted(_logger, name, hostname);
                return;
            }
            RelayLog.Refused(_logger, name, (int)response.StatusCode, await ReadSomeAsync(response, cancellationToken).ConfigureAwait(false), _interval.TotalHours);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            RelayLog.Failed(_logger, name, $"no answer within {RequestTimeout.TotalSeconds:0} s", _interval.TotalHours);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever went wrong with this relay is logged; the loop (and the other relays) carry on.
            RelayLog.Failed(_logger, name, ex.Message, _interval.TotalHours);
        }
    }

    private static async Task<string> ReadSomeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                byte[] buffer = new byte[MaxLoggedBodyBytes];
                int total = 0;
                int read;
                while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
                    total += read;
                return Encoding.UTF8.GetString(buffer, 0, total);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return "";
        }
    }

    /// <summary>The requestCrawl input, <c>{"hostname": ...}</c>.</summary>
    public static byte[] BuildBody(string hostname)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("hostname"u8, hostname);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Releases the HTTP client.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _http.Dispose();
        _stop.Dispose();
    }
}
