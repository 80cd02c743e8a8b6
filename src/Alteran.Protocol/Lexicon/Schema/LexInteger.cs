namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>The <c>integer</c> type (signed 64-bit) with optional range, <c>enum</c>, <c>const</c> and <c>default</c>.</summary>
public sealed class LexInteger : LexSchema
{
    internal LexInteger(string? description, long? minimum, long? maximum, long[]? @enum, long? @const, long? @default)
        : base(description)
    {
        Minimum = minimum;
        Maximum = maximum;
        Enum = @enum;
        Const = @const;
        Default = @default;
    }

    /// <inheritdoc/>
    public override LexType Type => LexType.Integer;

    /// <summary>Inclusive lower bound, if set.</summary>
    public long? Minimum { get; }

    /// <summary>Inclusive upper bound, if set.</summary>
    public long? Maximum { get; }

    /// <summary>The closed set of allowed values, if set.</summary>
    public IReadOnlyList<long>? Enum { get; }

    /// <summary>The only allowed value, if set.</summary>
    public long? Const { get; }

    /// <summary>The value assumed when the field is absent.</summary>
    public long? Default { get; }
}
