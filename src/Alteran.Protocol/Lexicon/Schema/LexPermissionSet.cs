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
