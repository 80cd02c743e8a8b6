namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>
/// The <c>object</c> type: named properties, some <c>required</c>, some <c>nullable</c>.
/// Data properties that the schema does not name are allowed and not checked.
/// </summary>
public sealed class LexObject : LexSchema
{
    internal LexObject(string? description, LexProperty[] properties, LexProperty[] requiredWithoutSchema)
        : base(description)
    {
        Properties = properties;
        RequiredWithoutSchema = requiredWithoutSchema;
    }

    /// <inheritdoc/>
    public override LexType Type => LexType.Object;

    /// <summary>The declared properties, in document order.</summary>
    public IReadOnlyList<LexProperty> Properties { get; }

    /// <summary>Names in <c>required</c> that have no schema in <c>properties</c> (still must be present).</summary>
    internal LexProperty[] RequiredWithoutSchema { get; }

    internal LexProperty[] PropertyArray => (LexProperty[])Properties;

    /// <summary>The property named <paramref name="name"/>, or null.</summary>
    public LexProperty? FindProperty(string name)
    {
        foreach (LexProperty p in PropertyArray)
            if (p.Name == name)
                return p;
        return null;
    }
}
