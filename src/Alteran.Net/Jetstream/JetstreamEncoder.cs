using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Alteran.Net.Jetstream;

/// <summary>
/// Reusable encoder of Jetstream events: one pooled JSON writer and buffer, so encoding allocates nothing but the
/// results you keep. Not thread-safe: one per encoding thread. A failed encode (malformed record block) leaves no
/// trace in the output; the next call starts clean.
/// </summary>
public sealed class JetstreamEncoder : IDisposable
{
    private const int InitialCapacity = 4096;
    private const int MaxRetainedCapacity = 1 << 20;

    private ArrayBufferWriter<byte> _buffer = new(InitialCapacity);
    private readonly Utf8JsonWriter _writer;
    private JetstreamCompressor? _compressor;
    private readonly bool _ownsCompressor;
    private bool _disposed;

    /// <summary>Creates an encoder. If <paramref name="compressor"/> is null, one is created when first needed and
    /// disposed with this encoder; a given compressor stays the caller's.</summary>
    public JetstreamEncoder(JetstreamCompressor? compressor = null)
    {
        _writer = new Utf8JsonWriter(_buffer, JetstreamEventWriter.WriterOptions);
        _compressor = compressor;
        _ownsCompressor = compressor is null;
    }

    /// <summary>Encodes a commit event; the span is valid until the next call on this encoder.</summary>
    public ReadOnlySpan<byte> EncodeCommit(scoped in JetstreamCommit commit)
    {
        JetstreamEventWriter.WriteCommit(Begin(), commit);
        return End();
    }

    /// <summary>Encodes an identity event; the span is valid until the next call on this encoder.</summary>
    public ReadOnlySpan<byte> EncodeIdentity(scoped in JetstreamIdentity identity)
    {
        JetstreamEventWriter.WriteIdentity(Begin(), identity);
        return End();
    }

    /// <summary>Encodes an account event; the span is valid until the next call on this encoder.</summary>
    public ReadOnlySpan<byte> EncodeAccount(scoped in JetstreamAccount account)
    {
        JetstreamEventWriter.WriteAccount(Begin(), account);
        return End();
    }

    /// <summary>Encodes a commit event and appends its JSON to <paramref name="output"/> (nothing on failure).</summary>
    public void EncodeCommit(scoped in JetstreamCommit commit, IBufferWriter<byte> output) => Copy(EncodeCommit(commit), output);

    /// <summary>Encodes an identity event and appends its JSON to <paramref name="output"/>.</summary>
    public void EncodeIdentity(scoped in JetstreamIdentity identity, IBufferWriter<byte> output) => Copy(EncodeIdentity(identity), output);

    /// <summary>Encodes an account event and appends its JSON to <paramref name="output"/>.</summary>
    public void EncodeAccount(scoped in JetstreamAccount account, IBufferWriter<byte> output) => Copy(EncodeAccount(account), output);

    /// <summary>Encodes a commit event once for all subscribers, with its zstd frame if <paramref name="compress"/>.</summary>
    public JetstreamEncodedEvent CreateCommitEvent(scoped in JetstreamCommit commit, bool compress) =>
        Seal(JetstreamEventKind.Commit, commit.TimeUs, EncodeCommit(commit), commit.Did, commit.Collection, compress);

    /// <summary>Encodes an identity event once for all subscribers, with its zstd frame if <paramref name="compress"/>.</summary>
    public JetstreamEncodedEvent CreateIdentityEvent(scoped in JetstreamIdentity identity, bool compress) =>
        Seal(JetstreamEventKind.Identity, identity.TimeUs, EncodeIdentity(identity), identity.Did, default, compress);

    /// <summary>Encodes an account event once for all subscribers, with its zstd frame if <paramref name="compress"/>.</summary>
    public JetstreamEncodedEvent CreateAccountEvent(scoped in JetstreamAccount account, bool compress) =>
        Seal(JetstreamEventKind.Account, account.TimeUs, EncodeAccount(account), account.Did, default, compress);

    private JetstreamEncodedEvent Seal(JetstreamEventKind kind, long timeUs, ReadOnlySpan<byte> json,
        ReadOnlySpan<char> did, ReadOnlySpan<char> collection, bool compress)
    {
        int didLength = Encoding.UTF8.GetByteCount(did);
        var data = new byte[json.Length + didLength + Encoding.UTF8.GetByteCount(collection)];
        json.CopyTo(data);
        Encoding.UTF8.GetBytes(did, data.AsSpan(json.Length));
        Encoding.UTF8.GetBytes(collection, data.AsSpan(json.Length + didLength));
        byte[]? compressed = null;
        if (compress)
        {
            _compressor ??= new JetstreamCompressor();
            compressed = _compressor.Compress(json);
        }
        return new JetstreamEncodedEvent(kind, timeUs, data, json.Length, didLength, compressed);
    }

    private Utf8JsonWriter Begin()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // A rare huge record must not pin a huge buffer for the encoder's lifetime.
        if (_buffer.Capacity > MaxRetainedCapacity)
            _buffer = new ArrayBufferWriter<byte>(InitialCapacity);
        else
            _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        return _writer;
    }

    private ReadOnlySpan<byte> End()
    {
        _writer.Flush();
        return _buffer.WrittenSpan;
    }

    private static void Copy(ReadOnlySpan<byte> json, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        json.CopyTo(output.GetSpan(json.Length));
        output.Advance(json.Length);
    }

    /// <summary>Releases the writer and the compressor this encoder created.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _writer.Dispose();
        if (_ownsCompressor)
            _compressor?.Dispose();
    }
}
