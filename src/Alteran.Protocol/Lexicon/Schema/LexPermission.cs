namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>One <c>permission</c> of a permission set: a resource (<c>repo</c>, <c>rpc</c>, ...) and its parameters.</summary>
public sealed class LexPermission
{
    internal LexPermission(string resource, string[]? collection, string[]? action, string[]? lxm, string? aud, bool inheritAud)
    {
        Resource = resource;
        Collection = collection;
        Action = action;
        Lxm = lxm;
        Aud = aud;
        InheritAud = inheritAud;
    }

    /// <summary>The resource kind.</summary>
    public string Resource { get; }

    /// <summary>Collections (repo permissions).</summary>
    public IReadOnlyList<string>? Collection { get; }

    /// <summary>Actions (repo permissions).</summary>
    public IReadOnlyList<string>? Action { get; }

    /// <summary>Method NSIDs (rpc permissions).</summary>
    public IReadOnlyList<string>? Lxm { get; }

    /// <summary>Audience (rpc permissions).</summary>
    public string? Aud { get; }

    /// <summary>Audience inherited from the requesting context (rpc permissions).</summary>
    public bool InheritAud { get; }
}
