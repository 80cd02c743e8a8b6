namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>A <c>permission-set</c> definition (OAuth scope bundle): title and permissions.</summary>
public sealed class LexPermissionSet : LexSchema
{
    internal LexPermissionSet(string? description, string? title, string? detail, LexPermission[] permissions)
        : base(description)
    {
        Title = title;
        Detail = detail;
        Permissions = permissions;
    }

    /// <inheritdoc/>
    public override LexType Type => LexType.PermissionSet;

    /// <summary>The human title.</summary>
    public string? Title { get; }

    /// <summary>The human detail text.</summary>
    public string? Detail { get; }

    /// <summary>The permissions granted.</summary>
    public IReadOnlyList<LexPermission> Permissions { get; }
}

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
