namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>
/// One node of a parsed lexicon schema: a top-level definition (<c>defs/name</c>) or a nested field schema.
/// Immutable after parsing, so one instance is shared by every validation on every thread.
/// </summary>
public abstract class LexSchema
{
    private protected LexSchema(string? description) => Description = description;

    /// <summary>The schema's <c>type</c>.</summary>
    public abstract LexType Type { get; }

    /// <summary>The optional <c>description</c>.</summary>
    public string? Description { get; }

    /// <summary>True for the types that may only appear as the <c>main</c> definition.</summary>
    public bool IsPrimary => Type is LexType.Record or LexType.Query or LexType.Procedure or LexType.Subscription or LexType.PermissionSet;
}
