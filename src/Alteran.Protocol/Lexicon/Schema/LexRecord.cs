namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>The <c>record</c> type: a repository record schema with its record key type.</summary>
public sealed class LexRecord : LexSchema
{
    internal LexRecord(string? description, string key, LexRecordKeyKind keyKind, string? keyLiteral, LexObject record)
        : base(description)
    {
        Key = key;
        KeyKind = keyKind;
        KeyLiteral = keyLiteral;
        Record = record;
    }

    /// <inheritdoc/>
    public override LexType Type => LexType.Record;

    /// <summary>The <c>key</c> as written (<c>tid</c>, <c>nsid</c>, <c>any</c>, <c>literal:self</c>).</summary>
    public string Key { get; }

    /// <summary>The record key type.</summary>
    public LexRecordKeyKind KeyKind { get; }

    /// <summary>For <see cref="LexRecordKeyKind.Literal"/>, the only allowed key.</summary>
    public string? KeyLiteral { get; }

    /// <summary>The schema of the record's value.</summary>
    public LexObject Record { get; }
}
