using System.Buffers;
using System.Net;
using System.Text;

namespace Alteran.Net.Http;

/// <summary>
/// The current request on a connection: method, path, query and headers, copied into one pooled arena while the
/// header block is parsed. Reused for every request on its connection; the arena goes back to the pool between
/// requests so an idle connection holds none of it. Spans it returns are valid until the request ends.
/// </summary>
public sealed class HttpRequest
{
    private struct HeaderEntry
    {
        public int NameStart;
        public int NameLength;
        public int ValueStart;
        public int ValueLength;
    }

    private byte[]? _arena;
    private int _used;
    private HeaderEntry[]? _headers;
    private int _headerCount;
    private int _pathStart, _pathLength, _queryStart, _queryLength;
    private int _hostCount;
    private bool _sawTransferEncoding;
    private bool _connectionClose, _connectionKeepAlive, _connectionUpgrade, _upgradeWebSocket;

    internal HttpRequest()
    {
    }

    /// <summary>Request method.</summary>
    public HttpMethod Method { get; private set; }

    /// <summary>True for HTTP/1.1, false for HTTP/1.0.</summary>
    public bool IsHttp11 { get; private set; }

    /// <summary>Declared Content-Length, or -1 when absent.</summary>
    public long ContentLength { get; private set; } = -1;

    /// <summary>True when the body uses chunked transfer coding.</summary>
    public bool IsChunked { get; private set; }

    /// <summary>True when the request has a body (Content-Length &gt; 0 or chunked).</summary>
    public bool HasBody => IsChunked || ContentLength > 0;

    /// <summary>True when the client sent <c>Expect: 100-continue</c>.</summary>
    public bool ExpectContinue { get; private set; }

    /// <summary>True when the client asked to keep the connection open after this request.</summary>
    public bool KeepAlive => IsHttp11 ? !_connectionClose : _connectionKeepAlive && !_connectionClose;

    /// <summary>True for <c>Connection: upgrade</c> with <c>Upgrade: websocket</c>.</summary>
    public bool IsWebSocketUpgrade => _connectionUpgrade && _upgradeWebSocket;

    /// <summary>Remote address of the connection.</summary>
    public IPAddress RemoteAddress { get; internal set; } = IPAddress.None;

    /// <summary>Path part of the target, as sent (no percent-decoding).</summary>
    public ReadOnlySpan<byte> Path => _arena.AsSpan(_pathStart, _pathLength);

    /// <summary>Query part of the target without the '?', as sent.</summary>
    public ReadOnlySpan<byte> QueryString => _arena.AsSpan(_queryStart, _queryLength);

    /// <summary>Parsed view over <see cref="QueryString"/>.</summary>
    public QueryString Query => new(QueryString);

    /// <summary>Number of header fields.</summary>
    public int HeaderCount => _headerCount;

    /// <summary>Name of header <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> GetHeaderName(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_headerCount);
        ref HeaderEntry e = ref _headers![index];
        return _arena.AsSpan(e.NameStart, e.NameLength);
    }

    /// <summary>Value of header <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> GetHeaderValue(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_headerCount);
        ref HeaderEntry e = ref _headers![index];
        return _arena.AsSpan(e.ValueStart, e.ValueLength);
    }

    /// <summary>Finds the first header named <paramref name="name"/> (ASCII case-insensitive).</summary>
    public bool TryGetHeader(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        HeaderEntry[]? headers = _headers;
        for (int i = 0; i < _headerCount; i++)
        {
            ref HeaderEntry e = ref headers![i];
            if (e.NameLength == name.Length && Ascii.EqualsIgnoreCase(_arena.AsSpan(e.NameStart, e.NameLength), name))
            {
                value = _arena.AsSpan(e.ValueStart, e.ValueLength);
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Header value as a string (allocates), or null when absent. Values are decoded as Latin-1.</summary>
    public string? GetHeader(ReadOnlySpan<byte> name)
        => TryGetHeader(name, out ReadOnlySpan<byte> value) ? Encoding.Latin1.GetString(value) : null;

    /// <summary>Path as a string (allocates; for logs).</summary>
    public string GetPathString() => Encoding.ASCII.GetString(Path);

    internal void OnRequestLine(HttpMethod method, ReadOnlySpan<byte> path, ReadOnlySpan<byte> query, bool http11)
    {
        Method = method;
        IsHttp11 = http11;
        _pathStart = Append(path);
        _pathLength = path.Length;
        _queryStart = Append(query);
        _queryLength = query.Length;
    }

    internal void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        RecognizeHeader(name, value);
        _headers ??= ArrayPool<HeaderEntry>.Shared.Rent(16);
        if (_headerCount == _headers.Length)
        {
            HeaderEntry[] bigger = ArrayPool<HeaderEntry>.Shared.Rent(_headers.Length * 2);
            _headers.AsSpan(0, _headerCount).CopyTo(bigger);
            ArrayPool<HeaderEntry>.Shared.Return(_headers);
            _headers = bigger;
        }

        ref HeaderEntry e = ref _headers[_headerCount++];
        e.NameStart = Append(name);
        e.NameLength = name.Length;
        e.ValueStart = Append(value);
        e.ValueLength = value.Length;
    }

    private void RecognizeHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        switch (name.Length)
        {
            case 4 when Ascii.EqualsIgnoreCase(name, "host"u8):
                _hostCount++;
                break;
            case 6 when Ascii.EqualsIgnoreCase(name, "expect"u8):
                if (!Ascii.EqualsIgnoreCase(value, "100-continue"u8))
                {
                    BadHttpRequestException.Throw(RequestRejectionReason.UnsupportedExpectation);
                }

                ExpectContinue = true;
                break;
            case 7 when Ascii.EqualsIgnoreCase(name, "upgrade"u8):
                _upgradeWebSocket = Ascii.EqualsIgnoreCase(value, "websocket"u8);
                break;
            case 10 when Ascii.EqualsIgnoreCase(name, "connection"u8):
                ParseConnection(value);
                break;
            case 14 when Ascii.EqualsIgnoreCase(name, "content-length"u8):
                if (ContentLength >= 0)
                {
                    BadHttpRequestException.Throw(RequestRejectionReason.DuplicateContentLength);
                }

                ContentLength = ParseContentLength(value);
                break;
            case 17 when Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8):
                if (_sawTransferEncoding)
                {
                    BadHttpRequestException.Throw(RequestRejectionReason.InvalidTransferEncoding);
                }

                _sawTransferEncoding = true;
                if (!Ascii.EqualsIgnoreCase(value, "chunked"u8))
                {
                    BadHttpRequestException.Throw(RequestRejectionReason.UnsupportedTransferEncoding);
                }

                IsChunked = true;
                break;
        }
    }

    private void ParseConnection(ReadOnlySpan<byte> value)
    {
        foreach (Range r in value.Split((byte)','))
        {
            ReadOnlySpan<byte> token = value[r].Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(token, "close"u8))
            {
                _connectionClose = true;
            }
            else if (Ascii.EqualsIgnoreCase(token, "keep-alive"u8))
            {
                _connectionKeepAlive = true;
            }
            else if (Ascii.EqualsIgnoreCase(token, "upgrade"u8))
            {
                _connectionUpgrade = true;
            }
        }
    }

    /// <summary>Content-Length must be canonical decimal: digits only, no sign, no leading zero, no list.</summary>
    internal static long ParseContentLength(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || value.Length > 18 || (value[0] == (byte)'0' && value.Length > 1))
        {
            BadHttpRequestException.Throw(RequestRejectionReason.InvalidContentLength);
        }

        long result = 0;
        foreach (byte b in value)
        {
            uint digit = (uint)(b - '0');
            if (digit > 9)
            {
                BadHttpRequestException.Throw(RequestRejectionReason.InvalidContentLength);
            }

            result = (result * 10) + digit;
        }

        return result;
    }

    /// <summary>Checks rules that need the whole header block.</summary>
    internal void OnHeadersComplete()
    {
        if (_sawTransferEncoding)
        {
            if (ContentLength >= 0)
            {
                BadHttpRequestException.Throw(RequestRejectionReason.ContentLengthWithTransferEncoding);
            }

            if (!IsHttp11)
            {
                BadHttpRequestException.Throw(RequestRejectionReason.InvalidTransferEncoding);
            }
        }

        if (IsHttp11 ? _hostCount != 1 : _hostCount > 1)
        {
            BadHttpRequestException.Throw(RequestRejectionReason.InvalidHost);
        }
    }

    private int Append(ReadOnlySpan<byte> bytes)
    {
        if (_arena is null)
        {
            _arena = ArrayPool<byte>.Shared.Rent(Math.Max(1024, bytes.Length));
        }
        else if (_arena.Length - _used < bytes.Length)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_arena.Length * 2, _used + bytes.Length));
            _arena.AsSpan(0, _used).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_arena);
            _arena = bigger;
        }

        int start = _used;
        bytes.CopyTo(_arena.AsSpan(start));
        _used += bytes.Length;
        return start;
    }

    /// <summary>Forgets the request and returns pooled memory.</summary>
    internal void Reset()
    {
        if (_arena is not null)
        {
            ArrayPool<byte>.Shared.Return(_arena);
            _arena = null;
        }

        if (_headers is not null)
        {
            ArrayPool<HeaderEntry>.Shared.Return(_headers);
            _headers = null;
        }

        _used = 0;
        _headerCount = 0;
        _pathStart = _pathLength = _queryStart = _queryLength = 0;
        _hostCount = 0;
        _sawTransferEncoding = _connectionClose = _connectionKeepAlive = _connectionUpgrade = _upgradeWebSocket = false;
        Method = HttpMethod.Other;
        IsHttp11 = false;
        ContentLength = -1;
        IsChunked = false;
        ExpectContinue = false;
    }

    /// <summary>Struct adapter that lets <see cref="HttpParser"/> call into a request directly.</summary>
    internal readonly struct ParserHandler(HttpRequest request) : IHttpParserHandler
    {
        public void OnRequestLine(HttpMethod method, ReadOnlySpan<byte> path, ReadOnlySpan<byte> query, bool http11)
            => request.OnRequestLine(method, path, query, http11);

        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => request.OnHeader(name, value);
    }
}
