namespace Alteran.Protocol.Sync;

/// <summary>The <c>action</c> of a <c>#repoOp</c>.</summary>
public enum RepoOpAction
{
    /// <summary><c>"create"</c>: a new record; <c>cid</c> set, no <c>prev</c>.</summary>
    Create,
    /// <summary><c>"update"</c>: a record replaced; <c>cid</c> is the new record, <c>prev</c> the old one.</summary>
    Update,
    /// <summary><c>"delete"</c>: a record removed; <c>cid</c> is null, <c>prev</c> the old record.</summary>
    Delete,
}
