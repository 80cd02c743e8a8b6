namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>The <c>bytes</c> type (JSON form <c>{"$bytes": base64}</c>), lengths in decoded bytes.</summary>
public sealed class LexBytes : LexSchema
{
    internal LexBytes(string? description, int? minLength, int? maxLength) : base(description)
    {
        MinLength = minLength;
        MaxLength = maxLength;
    }

    /// <inheritdoc/>
    public override LexType Type => LexType.Bytes;

    /// <summary>Minimum length in bytes.</summary>
    public int? MinLength { get; }

    /// <summary>Maximum length in bytes.</summary>
    public int? MaxLength { get; }
}
