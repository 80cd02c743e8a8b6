namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>The <c>array</c> type: every element matches <see cref="Items"/>; lengths count elements.</summary>
public sealed class LexArray : LexSchema
{
    internal LexArray(string? description, LexSchema items, int? minLength, int? maxLength) : base(description)
    {
        Items = items;
        MinLength = minLength;
        MaxLength = maxLength;
    }

    /// <inheritdoc/>
    public override LexType Type => LexType.Array;

    /// <summary>The schema of each element.</summary>
    public LexSchema Items { get; }

    /// <summary>Minimum number of elements.</summary>
    public int? MinLength { get; }

    /// <summary>Maximum number of elements.</summary>
    public int? MaxLength { get; }
}
