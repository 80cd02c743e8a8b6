using System.Buffers;
using ZstdSharp;

namespace Alteran.Net.Jetstream;

/// <summary>
/// Compresses Jetstream events as Jetstream does for <c>compress=true</c>: one zstd frame per JSON event, using
/// <see cref="JetstreamDictionary"/>. Not thread-safe: keep one per encoding thread (the digested dictionary is
/// reused across frames), and compress each event once for all compressing subscribers.
/// </summary>
public sealed class JetstreamCompressor : IDisposable
{
    /// <summary>zstd's default level (3), the speed/ratio point Jetstream's Go encoder also defaults to.</summary>
    public const int DefaultLevel = 3;

    // Don't keep a huge scratch buffer alive after a rare huge event.
    private const int MaxRetainedScratch = 1 << 20;

    private readonly Compressor _compressor;
    private byte[] _scratch = [];
    private bool _disposed;

    /// <summary>Creates a compressor at <paramref name="level"/> (1–19) loaded with Jetstream's dictionary.</summary>
    public JetstreamCompressor(int level = DefaultLevel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 19);
        _compressor = new Compressor(level);
        _compressor.LoadDictionary(JetstreamDictionary.LegacyBytes);
    }

    /// <summary>The largest frame <see cref="Compress(ReadOnlySpan{byte}, Span{byte})"/> can produce for <paramref name="length"/> bytes.</summary>
    public static int GetMaxCompressedLength(int length) => Compressor.GetCompressBound(length);

    /// <summary>Compresses <paramref name="json"/> into <paramref name="destination"/> (at least
    /// <see cref="GetMaxCompressedLength"/> long) and returns the frame's length.</summary>
    public int Compress(ReadOnlySpan<byte> json, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (destination.Length < GetMaxCompressedLength(json.Length))
            throw new ArgumentException("The destination is smaller than the compress bound.", nameof(destination));
        return _compressor.Wrap(json, destination);
    }

    /// <summary>Compresses <paramref name="json"/> into a new array of exactly the frame's length.</summary>
    public byte[] Compress(ReadOnlySpan<byte> json)
    {
        int bound = GetMaxCompressedLength(json.Length);
        if (_scratch.Length < bound)
            _scratch = new byte[Math.Max(bound, 4096)];
        int written = Compress(json, _scratch);
        byte[] frame = _scratch.AsSpan(0, written).ToArray();
        if (_scratch.Length > MaxRetainedScratch)
            _scratch = [];
        return frame;
    }

    /// <summary>Compresses <paramref name="json"/> and appends the frame to <paramref name="output"/>.</summary>
    public void Compress(ReadOnlySpan<byte> json, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Span<byte> destination = output.GetSpan(GetMaxCompressedLength(json.Length));
        output.Advance(Compress(json, destination));
    }

    /// <summary>Frees the zstd context.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _compressor.Dispose();
    }
}
