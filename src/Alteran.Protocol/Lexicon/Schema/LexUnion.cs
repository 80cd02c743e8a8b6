namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>
/// The <c>union</c> type: an object whose <c>$type</c> names one of <see cref="Refs"/>. An open union
/// (the default) also accepts objects whose <c>$type</c> is not listed; a closed one does not.
/// </summary>
public sealed class LexUnion : LexSchema
{
    internal LexUnion(string? description, string[] refs, LexRefTarget[] targets, bool closed) : base(description)
    {
        Refs = refs;
        Targets = targets;
        Closed = closed;
    }

    /// <inheritdoc/>
    public override LexType Type => LexType.Union;

    /// <summary>The references as written.</summary>
    public IReadOnlyList<string> Refs { get; }

    /// <summary>The references made absolute.</summary>
    public IReadOnlyList<LexRefTarget> Targets { get; }

    /// <summary>True when data may only be one of <see cref="Refs"/>.</summary>
    public bool Closed { get; }

    internal LexRefTarget[] TargetArray => (LexRefTarget[])Targets;
}
