namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>
/// The <c>blob</c> type (JSON form <c>{"$type":"blob","ref":{"$link":cid},"mimeType":..,"size":..}</c>).
/// <see cref="Accept"/> holds MIME patterns such as <c>image/png</c>, <c>image/*</c> or <c>*/*</c>.
/// </summary>
public sealed class LexBlob : LexSchema
{
    internal LexBlob(string? description, string[]? accept, long? maxSize) : base(description)
    {
        Accept = accept;
        MaxSize = maxSize;
        if (accept is not null)
        {
            AcceptUtf8 = new byte[accept.Length][];
            for (int i = 0; i < accept.Length; i++)
                AcceptUtf8[i] = System.Text.Encoding.UTF8.GetBytes(accept[i]);
        }
    }

    /// <inheritdoc/>
    public override LexType Type => LexType.Blob;

    /// <summary>Accepted MIME types or patterns; null accepts any.</summary>
    public IReadOnlyList<string>? Accept { get; }

    /// <summary>Maximum size in bytes, if set.</summary>
    public long? MaxSize { get; }

    internal byte[][]? AcceptUtf8 { get; }
}
