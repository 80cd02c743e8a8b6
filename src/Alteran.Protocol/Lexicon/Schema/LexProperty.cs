using System.Text;

namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>One named property of an <c>object</c> or <c>params</c> schema, with its required/nullable flags.</summary>
public sealed class LexProperty
{
    internal LexProperty(string name, LexSchema schema, bool isRequired, bool isNullable)
    {
        Name = name;
        NameUtf8 = Encoding.UTF8.GetBytes(name);
        Schema = schema;
        IsRequired = isRequired;
        IsNullable = isNullable;
    }

    /// <summary>The property name.</summary>
    public string Name { get; }

    /// <summary>The property's schema.</summary>
    public LexSchema Schema { get; }

    /// <summary>Listed in <c>required</c>: the property must be present.</summary>
    public bool IsRequired { get; }

    /// <summary>Listed in <c>nullable</c>: JSON <c>null</c> is accepted.</summary>
    public bool IsNullable { get; }

    /// <summary>The name pre-encoded as UTF-8, for allocation-free lookups in JSON data.</summary>
    internal byte[] NameUtf8 { get; }
}
