namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>
/// The <c>ref</c> type: the value must match another definition, named <c>#def</c> (same document),
/// <c>nsid</c> (its <c>main</c>) or <c>nsid#def</c>. Resolved through a <see cref="LexiconCatalog"/> and cached.
/// </summary>
public sealed class LexRef : LexSchema
{
    internal LexRef(string? description, string reference, LexRefTarget target) : base(description)
    {
        Ref = reference;
        Target = target;
    }

    /// <inheritdoc/>
    public override LexType Type => LexType.Ref;

    /// <summary>The reference as written in the lexicon.</summary>
    public string Ref { get; }

    /// <summary>The reference made absolute (<c>nsid#def</c>).</summary>
    public LexRefTarget Target { get; }
}
