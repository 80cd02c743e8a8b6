namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>The <c>null</c> type: only JSON <c>null</c>.</summary>
public sealed class LexNull : LexSchema
{
    internal LexNull(string? description) : base(description) { }

    /// <inheritdoc/>
    public override LexType Type => LexType.Null;
}
