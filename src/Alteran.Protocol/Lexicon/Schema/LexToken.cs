namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>The <c>token</c> type: a named symbol with no data, referred to as <c>nsid#name</c>.</summary>
public sealed class LexToken : LexSchema
{
    internal LexToken(string? description) : base(description) { }

    /// <inheritdoc/>
    public override LexType Type => LexType.Token;
}
