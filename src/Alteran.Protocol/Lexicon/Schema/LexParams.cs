namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>The <c>params</c> type: the query-string parameters of a query, procedure or subscription.</summary>
public sealed class LexParams : LexSchema
{
    internal LexParams(string? description, LexProperty[] properties) : base(description) => Properties = properties;

    /// <inheritdoc/>
    public override LexType Type => LexType.Params;

    /// <summary>The parameters (boolean, integer, string, unknown, or arrays of those).</summary>
    public IReadOnlyList<LexProperty> Properties { get; }
}
