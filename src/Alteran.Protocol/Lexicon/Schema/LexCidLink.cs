namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>The <c>cid-link</c> type (JSON form <c>{"$link": cid}</c>).</summary>
public sealed class LexCidLink : LexSchema
{
    internal LexCidLink(string? description) : base(description) { }

    /// <inheritdoc/>
    public override LexType Type => LexType.CidLink;
}
