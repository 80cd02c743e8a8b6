using System.Text;

namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>
/// An absolute reference to a definition: <see cref="Nsid"/> plus <see cref="Name"/> (<c>main</c> when omitted).
/// Also carries the <c>$type</c> spellings data may use for it (<c>nsid</c> for main, <c>nsid#name</c> otherwise;
/// <c>nsid#main</c> is accepted too) and a per-catalog cache of the resolved definition.
/// </summary>
public sealed class LexRefTarget
{
    internal LexRefTarget(string nsid, string name)
    {
        Nsid = nsid;
        Name = name;
        FullName = nsid + "#" + name;
        TypeName = name == "main" ? nsid : FullName;
        TypeNameUtf8 = Encoding.UTF8.GetBytes(TypeName);
        if (name == "main")
            AltTypeNameUtf8 = Encoding.UTF8.GetBytes(FullName);
    }

    /// <summary>The lexicon document's NSID.</summary>
    public string Nsid { get; }

    /// <summary>The definition name inside the document.</summary>
    public string Name { get; }

    /// <summary><c>nsid#name</c>.</summary>
    public string FullName { get; }

    /// <summary>The preferred <c>$type</c> value for data of this definition.</summary>
    public string TypeName { get; }

    internal byte[] TypeNameUtf8 { get; }

    internal byte[]? AltTypeNameUtf8 { get; }

    /// <summary>Last resolution, valid only for the catalog that made it.</summary>
    internal ResolvedDef? Resolved;

    /// <inheritdoc/>
    public override string ToString() => FullName;
}
