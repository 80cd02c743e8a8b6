namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>The <c>boolean</c> type, with optional <c>const</c> and <c>default</c>.</summary>
public sealed class LexBoolean : LexSchema
{
    internal LexBoolean(string? description, bool? @const, bool? @default) : base(description)
    {
        Const = @const;
        Default = @default;
    }

    /// <inheritdoc/>
    public override LexType Type => LexType.Boolean;

    /// <summary>The only allowed value, if set.</summary>
    public bool? Const { get; }

    /// <summary>The value assumed when the field is absent (informative; validation does not insert it).</summary>
    public bool? Default { get; }
}
