using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Alteran.Net.Http;

/// <summary>
/// The response to the current request. Set <see cref="StatusCode"/> and headers, then write the body once:
/// <see cref="WriteBody"/> / <see cref="WriteJson{T}"/> for a buffered body (sent with Content-Length), or
/// <see cref="StartBody"/> for a streamed one (Content-Length when known, chunked otherwise) whose writes wait for
/// the socket (backpressure). HEAD requests get the same headers and no body.
/// </summary>
public sealed class HttpResponse
{
    [ThreadStatic]
    private static JsonScratch? t_json;

    private readonly HttpConnection _connection;
    private byte[]? _headers;
    private int _headersLength;

    internal HttpResponse(HttpConnection connection) => _connection = connection;

    /// <summary>Status code; 200 unless set.</summary>
    public int StatusCode { get; set; } = 200;

    /// <summary>True once the status line has been written; headers can no longer change.</summary>
    public bool HasStarted { get; private set; }

    /// <summary>Adds a header line. Throws when the response has started or the name/value could split the response.</summary>
    public void AddHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (HasStarted)
        {
            throw new InvalidOperationException("The response has already started.");
        }

        if (!HttpParser.IsToken(name) || value.IndexOfAny((byte)'\r', (byte)'\n', (byte)0) >= 0)
        {
            throw new ArgumentException("Invalid header name or value.");
        }

        int needed = name.Length + value.Length + 4;
        if (_headers is null || _headers.Length - _headersLength < needed)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(256, (_headersLength + needed) * 2));
            _headers?.AsSpan(0, _headersLength).CopyTo(bigger);
            if (_headers is not null)
            {
                ArrayPool<byte>.Shared.Return(_headers);
            }

            _headers = bigger;
        }

        Span<byte> dest = _headers.AsSpan(_headersLength);
        name.CopyTo(dest);
        dest[name.Length] = (byte)':';
        dest[name.Length + 1] = (byte)' ';
        value.CopyTo(dest[(name.Length + 2)..]);
        dest[name.Length + 2 + value.Length] = (byte)'\r';
        dest[name.Length + 3 + value.Length] = (byte)'\n';
        _headersLength += needed;
    }

    /// <summary>Adds a header line from strings (values must be ASCII/Latin-1).</summary>
    public void AddHeader(string name, string value)
    {
        Span<byte> n = stackalloc byte[Math.Min(name.Length, 256)];
        byte[] v = Encoding.Latin1.GetBytes(value);
        if (name.Length > 256 || Encoding.ASCII.GetBytes(name, n) != name.Length)
        {
            throw new ArgumentException("Invalid header name.");
        }

        AddHeader(n, v);
    }

    /// <summary>Sends the status, headers and <paramref name="body"/> with a Content-Length.</summary>
    public void WriteBody(ReadOnlySpan<byte> body, ReadOnlySpan<byte> contentType)
    {
        StartHead(contentType, body.Length);
        if (!_connection.IsHeadRequest)
        {
            _connection.Output.Write(body);
        }
    }

    /// <summary>Sends the status and headers with no body (Content-Length: 0 except for 1xx/204/304).</summary>
    public void WriteEmpty() => StartHead(default, 0);

    /// <summary>Serialises <paramref name="value"/> with source-generated <paramref name="typeInfo"/> and sends it as application/json.</summary>
    public void WriteJson<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        JsonScratch scratch = t_json ??= new JsonScratch();
        scratch.Buffer.Reset();
        scratch.Writer.Reset(scratch.Buffer);
        JsonSerializer.Serialize(scratch.Writer, value, typeInfo);
        scratch.Writer.Flush();
        WriteBody(scratch.Buffer.WrittenSpan, "application/json; charset=utf-8"u8);
        scratch.Buffer.Trim();
    }

    /// <summary>Writes JSON by hand through <paramref name="write"/> and sends it as application/json.</summary>
    public void WriteJson<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        JsonScratch scratch = t_json ??= new JsonScratch();
        scratch.Buffer.Reset();
        scratch.Writer.Reset(scratch.Buffer);
        write(scratch.Writer, state);
        scratch.Writer.Flush();
        WriteBody(scratch.Buffer.WrittenSpan, "application/json; charset=utf-8"u8);
        scratch.Buffer.Trim();
    }

    /// <summary>
    /// Sends status and headers and returns a writer for a streamed body: fixed-length when
    /// <paramref name="contentLength"/> is known (writing more or less aborts the connection), chunked otherwise.
    /// </summary>
    public ResponseBodyWriter StartBody(ReadOnlySpan<byte> contentType, long contentLength = -1)
    {
        StartHead(contentType, contentLength);
        return _connection.StartResponseBody(contentLength);
    }

    private void StartHead(ReadOnlySpan<byte> contentType, long contentLength)
    {
        if (HasStarted)
        {
            throw new InvalidOperationException("The response has already started.");
        }

        HasStarted = true;
        if (_connection.Server.IsShuttingDown)
        {
            _connection.KeepAlive = false;
        }

        int status = StatusCode;
        var w = new BufferWriter(_connection.Output);
        ReadOnlySpan<byte> statusLine = ReasonPhrases.StatusLine(status);
        if (statusLine.IsEmpty)
        {
            w.Write("HTTP/1.1 "u8);
            w.WriteNumber(status);
            w.Write(" \r\n"u8);
        }
        else
        {
            w.Write(statusLine);
        }

        w.Write(DateHeader.Line);
        if (!contentType.IsEmpty)
        {
            w.Write("Content-Type: "u8);
            w.Write(contentType);
            w.Write("\r\n"u8);
        }

        bool noBody = status is < 200 or 204 or 304;
        if (!noBody)
        {
            if (contentLength >= 0)
            {
                w.Write("Content-Length: "u8);
                w.WriteNumber(contentLength);
                w.Write("\r\n"u8);
            }
            else if (_connection.Request.IsHttp11)
            {
                w.Write("Transfer-Encoding: chunked\r\n"u8);
            }
            else
            {
                // HTTP/1.0 cannot do chunked: the body ends when the connection closes.
                _connection.KeepAlive = false;
            }
        }

        w.Write("X-Request-Id: "u8);
        w.WriteHex64(_connection.Context.RequestId);
        w.Write("\r\n"u8);
        if (_headersLength > 0)
        {
            w.Write(_headers.AsSpan(0, _headersLength));
        }

        if (!_connection.KeepAlive)
        {
            w.Write("Connection: close\r\n\r\n"u8);
        }
        else if (!_connection.Request.IsHttp11)
        {
            w.Write("Connection: keep-alive\r\n\r\n"u8);
        }
        else
        {
            w.Write("\r\n"u8);
        }

        w.Commit();
    }

    /// <summary>Writes a <c>101 Switching Protocols</c> head with the given extra header block (each line CRLF-terminated).</summary>
    internal void WriteSwitchingProtocols(ReadOnlySpan<byte> headerLines)
    {
        HasStarted = true;
        StatusCode = 101;
        var w = new BufferWriter(_connection.Output);
        w.Write(ReasonPhrases.StatusLine(101));
        w.Write(DateHeader.Line);
        w.Write("Connection: Upgrade\r\nUpgrade: websocket\r\n"u8);
        w.Write(headerLines);
        w.Write("X-Request-Id: "u8);
        w.WriteHex64(_connection.Context.RequestId);
        w.Write("\r\n\r\n"u8);
        w.Commit();
    }

    internal void Reset()
    {
        StatusCode = 200;
        HasStarted = false;
        _headersLength = 0;
        if (_headers is not null)
        {
            ArrayPool<byte>.Shared.Return(_headers);
            _headers = null;
        }
    }

    private sealed class JsonScratch
    {
        public readonly ScratchBufferWriter Buffer = new();
        public readonly Utf8JsonWriter Writer;

        // Relaxed escaping: responses are application/json, never inlined into HTML, and posts are full of
        // non-ASCII text that the default encoder would inflate to \uXXXX sequences.
        public JsonScratch() => Writer = new Utf8JsonWriter(Buffer, new JsonWriterOptions
        {
            SkipValidation = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
    }
}
