namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>The <c>unknown</c> type: any data object (not a bytes, link or blob value, not a scalar or array).</summary>
public sealed class LexUnknown : LexSchema
{
    internal LexUnknown(string? description) : base(description) { }

    /// <inheritdoc/>
    public override LexType Type => LexType.Unknown;
}
