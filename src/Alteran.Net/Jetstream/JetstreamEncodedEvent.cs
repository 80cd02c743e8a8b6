namespace Alteran.Net.Jetstream;

/// <summary>
/// One event encoded once for every subscriber: its JSON text, optionally its zstd frame, and the DID and
/// collection (UTF-8) that <see cref="JetstreamFilter"/> matches on. Immutable; safe to share across threads.
/// </summary>
public sealed class JetstreamEncodedEvent
{
    // JSON, then DID, then collection, in one array: one allocation for everything but the zstd frame.
    private readonly byte[] _data;
    private readonly int _jsonLength;
    private readonly int _didLength;
    private byte[]? _compressed; // set once: at encoding, or later by the first compressing subscriber that needs it

    internal JetstreamEncodedEvent(JetstreamEventKind kind, long timeUs, byte[] data, int jsonLength, int didLength, byte[]? compressed)
    {
        Kind = kind;
        TimeUs = timeUs;
        _data = data;
        _jsonLength = jsonLength;
        _didLength = didLength;
        _compressed = compressed;
    }

    /// <summary>The event's kind.</summary>
    public JetstreamEventKind Kind { get; }

    /// <summary>The event's <c>time_us</c> (its cursor position).</summary>
    public long TimeUs { get; }

    /// <summary>The JSON text, as sent in a WebSocket text frame to subscribers without compression.</summary>
    public ReadOnlyMemory<byte> Json => new(_data, 0, _jsonLength);

    /// <summary>Whether <see cref="Compressed"/> was produced.</summary>
    public bool HasCompressed => Volatile.Read(ref _compressed) is not null;

    /// <summary>The zstd frame (binary WebSocket frame for <c>compress=true</c>); empty unless <see cref="HasCompressed"/>.</summary>
    public ReadOnlyMemory<byte> Compressed => Volatile.Read(ref _compressed);

    /// <summary>
    /// The zstd frame, compressing the JSON now (once, whoever gets there first) if the event was encoded without
    /// it, e.g. because the first compressing subscriber connected after it was encoded.
    /// </summary>
    public ReadOnlyMemory<byte> GetOrCreateCompressed()
    {
        byte[]? compressed = Volatile.Read(ref _compressed);
        if (compressed is not null)
            return compressed;
        byte[] made = JetstreamSharedCompressor.Compress(Json.Span);
        return Interlocked.CompareExchange(ref _compressed, made, null) ?? made;
    }

    /// <summary>The repo DID, UTF-8.</summary>
    public ReadOnlySpan<byte> Did => new(_data, _jsonLength, _didLength);

    /// <summary>The commit's collection NSID, UTF-8; empty for identity and account events.</summary>
    public ReadOnlySpan<byte> Collection => _data.AsSpan(_jsonLength + _didLength);

    /// <summary>The bytes to send to a subscriber: the zstd frame if it asked for compression, else the JSON.</summary>
    /// <exception cref="InvalidOperationException">Compression was asked for but the event was encoded without it.</exception>
    public ReadOnlyMemory<byte> GetPayload(bool compressed)
    {
        if (!compressed)
            return Json;
        return Volatile.Read(ref _compressed) ?? throw new InvalidOperationException("This event was encoded without its zstd frame.");
    }
}
