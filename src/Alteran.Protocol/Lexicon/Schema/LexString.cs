using System.Text;

namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>
/// The <c>string</c> type. <see cref="MinLength"/>/<see cref="MaxLength"/> count UTF-8 bytes,
/// <see cref="MinGraphemes"/>/<see cref="MaxGraphemes"/> count extended grapheme clusters.
/// <see cref="KnownValues"/> is informative only (not a constraint); <see cref="Enum"/> and <see cref="Const"/> are.
/// </summary>
public sealed class LexString : LexSchema
{
    internal LexString(
        string? description, LexStringFormat format, int? minLength, int? maxLength, int? minGraphemes, int? maxGraphemes,
        string[]? knownValues, string[]? @enum, string? @const, string? @default)
        : base(description)
    {
        Format = format;
        MinLength = minLength;
        MaxLength = maxLength;
        MinGraphemes = minGraphemes;
        MaxGraphemes = maxGraphemes;
        KnownValues = knownValues;
        Enum = @enum;
        Const = @const;
        Default = @default;
        if (@enum is not null)
        {
            EnumUtf8 = new byte[@enum.Length][];
            for (int i = 0; i < @enum.Length; i++)
                EnumUtf8[i] = Encoding.UTF8.GetBytes(@enum[i]);
        }
        if (@const is not null)
            ConstUtf8 = Encoding.UTF8.GetBytes(@const);
    }

    /// <inheritdoc/>
    public override LexType Type => LexType.String;

    /// <summary>The <c>format</c> constraint.</summary>
    public LexStringFormat Format { get; }

    /// <summary>Minimum length in UTF-8 bytes.</summary>
    public int? MinLength { get; }

    /// <summary>Maximum length in UTF-8 bytes.</summary>
    public int? MaxLength { get; }

    /// <summary>Minimum length in grapheme clusters.</summary>
    public int? MinGraphemes { get; }

    /// <summary>Maximum length in grapheme clusters.</summary>
    public int? MaxGraphemes { get; }

    /// <summary>Suggested values (not enforced).</summary>
    public IReadOnlyList<string>? KnownValues { get; }

    /// <summary>The closed set of allowed values, if set.</summary>
    public IReadOnlyList<string>? Enum { get; }

    /// <summary>The only allowed value, if set.</summary>
    public string? Const { get; }

    /// <summary>The value assumed when the field is absent.</summary>
    public string? Default { get; }

    internal byte[][]? EnumUtf8 { get; }

    internal byte[]? ConstUtf8 { get; }
}
