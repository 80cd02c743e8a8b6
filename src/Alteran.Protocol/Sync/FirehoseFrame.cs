namespace Alteran.Protocol.Sync;

/// <summary>
/// A decoded <c>subscribeRepos</c> frame: the header (<see cref="Op"/>, <see cref="Type"/>) and a typed body.
/// Exactly one of the body properties is set, matching <see cref="Kind"/> (none for <see cref="FirehoseMessageKind.Unknown"/>).
/// </summary>
public sealed class FirehoseFrame
{
    internal FirehoseFrame(long op, string? type, FirehoseMessageKind kind, ReadOnlyMemory<byte> body, object? message)
    {
        Op = op;
        Type = type;
        Kind = kind;
        Body = body;
        Message = message;
    }

    /// <summary>The header's <c>op</c> as sent (1 or -1 unless <see cref="Kind"/> is Unknown).</summary>
    public long Op { get; }

    /// <summary>The header's <c>t</c> as sent (e.g. <c>#commit</c>); null if absent, as on error frames.</summary>
    public string? Type { get; }

    /// <summary>What the body is.</summary>
    public FirehoseMessageKind Kind { get; }

    /// <summary>The encoded body (a slice of the frame), validated DAG-CBOR.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    private object? Message { get; }

    /// <summary>The <c>#commit</c> body, or null.</summary>
    public CommitMessage? Commit => Message as CommitMessage;

    /// <summary>The <c>#sync</c> body, or null.</summary>
    public SyncMessage? Sync => Message as SyncMessage;

    /// <summary>The <c>#identity</c> body, or null.</summary>
    public IdentityMessage? Identity => Message as IdentityMessage;

    /// <summary>The <c>#account</c> body, or null.</summary>
    public AccountMessage? Account => Message as AccountMessage;

    /// <summary>The <c>#info</c> body, or null.</summary>
    public InfoMessage? Info => Message as InfoMessage;

    /// <summary>The error body, or null.</summary>
    public ErrorMessage? Error => Message as ErrorMessage;

    /// <summary>The body's <c>seq</c> for sequenced messages, otherwise null.</summary>
    public long? Seq => Message switch
    {
        CommitMessage m => m.Seq,
        SyncMessage m => m.Seq,
        IdentityMessage m => m.Seq,
        AccountMessage m => m.Seq,
        _ => null,
    };

    /// <summary>
    /// Decodes one frame (one WebSocket binary message). Byte fields of the result are slices of
    /// <paramref name="frame"/>, so keep it unchanged while the result is in use.
    /// </summary>
    /// <exception cref="FirehoseFrameException">The frame is malformed or breaks the schema; see <see cref="FirehoseFrameException.Error"/>.</exception>
    public static FirehoseFrame Decode(ReadOnlyMemory<byte> frame, FirehoseDecodeMode mode = FirehoseDecodeMode.Strict) =>
        FirehoseFrameDecoder.Decode(frame, mode);

    /// <summary>Like <see cref="Decode"/>, but returns false (and the exception in <paramref name="error"/>) instead of throwing.</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> frame, out FirehoseFrame? result, out FirehoseFrameException? error,
        FirehoseDecodeMode mode = FirehoseDecodeMode.Strict)
    {
        try
        {
            result = FirehoseFrameDecoder.Decode(frame, mode);
            error = null;
            return true;
        }
        catch (FirehoseFrameException e)
        {
            result = null;
            error = e;
            return false;
        }
    }
}
