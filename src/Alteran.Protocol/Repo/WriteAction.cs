namespace Alteran.Protocol.Repo;

/// <summary>What a write or an operation does to one record.</summary>
public enum WriteAction
{
    /// <summary>A new record at a path that must not exist.</summary>
    Create,
    /// <summary>A new value for an existing record.</summary>
    Update,
    /// <summary>Removal of an existing record.</summary>
    Delete,
}
