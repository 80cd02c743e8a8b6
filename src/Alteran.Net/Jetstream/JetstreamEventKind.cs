namespace Alteran.Net.Jetstream;

/// <summary>The top-level <c>kind</c> of a Jetstream event.</summary>
public enum JetstreamEventKind : byte
{
    /// <summary><c>"commit"</c>: one record operation of a repo commit.</summary>
    Commit,

    /// <summary><c>"identity"</c>: the account's handle or DID document may have changed.</summary>
    Identity,

    /// <summary><c>"account"</c>: the account's hosting status changed.</summary>
    Account,
}
