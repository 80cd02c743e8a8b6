using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Alteran.Load.Xrpc;

/// <summary>Status and body of one XRPC call.</summary>
internal readonly record struct XrpcResponse(int Status, byte[] Body)
{
    public bool Ok => Status is >= 200 and < 300;

    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// Thin XRPC client over one pooled <see cref="HttpClient"/> (SocketsHttpHandler, no proxy, no decompression, HTTP/1.1).
/// Carries the session's access token and DID after <see cref="LoginAsync"/>.
/// </summary>
internal sealed class XrpcClient : IDisposable
{
    private readonly HttpClient _http;

    public XrpcClient(Uri baseUri)
    {
        BaseUri = baseUri;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = 512,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AllowAutoRedirect = false,
        };
        _http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestVersion = HttpVersion.Version11;
    }

    public Uri BaseUri { get; }

    public string? AccessJwt { get; private set; }

    public string Did { get; private set; } = "";

    public HttpClient Http => _http;

    public async Task<XrpcResponse> LoginAsync(string handle, string password, CancellationToken ct)
    {
        byte[] body = Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("identifier", handle);
            w.WriteString("password", password);
            w.WriteEndObject();
        });
        XrpcResponse r = await PostAsync("com.atproto.server.createSession", body, "application/json", ct);
        if (r.Ok)
        {
            using JsonDocument doc = JsonDocument.Parse(r.Body);
            AccessJwt = doc.RootElement.GetProperty("accessJwt").GetString();
            Did = doc.RootElement.GetProperty("did").GetString() ?? "";
        }

        return r;
    }

    public Task<XrpcResponse> GetAsync(string nsidAndQuery, CancellationToken ct)
        => SendAsync(new HttpRequestMessage(HttpMethod.Get, "xrpc/" + nsidAndQuery), ct);

    public Task<XrpcResponse> PostAsync(string nsid, byte[] body, string contentType, CancellationToken ct)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return SendAsync(new HttpRequestMessage(HttpMethod.Post, "xrpc/" + nsid) { Content = content }, ct);
    }

    public HttpRequestMessage NewGet(string nsidAndQuery)
    {
        var req = new HttpRequestMessage(HttpMethod.Get, "xrpc/" + nsidAndQuery);
        Authorize(req);
        return req;
    }

    private async Task<XrpcResponse> SendAsync(HttpRequestMessage req, CancellationToken ct)
    {
        using (req)
        {
            Authorize(req);
            using HttpResponseMessage resp = await _http.SendAsync(req, HttpCompletionOption.ResponseContentRead, ct);
            byte[] body = await resp.Content.ReadAsByteArrayAsync(ct);
            return new XrpcResponse((int)resp.StatusCode, body);
        }
    }

    private void Authorize(HttpRequestMessage req)
    {
        if (AccessJwt is not null)
        {
            req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessJwt);
        }
    }

    public static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            write(w);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>A non-2xx XRPC answer, thrown by phase operations so the closed loop counts it and keeps its text.</summary>
internal sealed class XrpcFailure(XrpcResponse response)
    : Exception($"HTTP {response.Status}: {(response.Text.Length > 200 ? response.Text[..200] : response.Text)}")
{
    public int Status { get; } = response.Status;
}
