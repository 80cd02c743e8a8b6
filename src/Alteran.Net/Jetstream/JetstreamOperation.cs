namespace Alteran.Net.Jetstream;

/// <summary>The <c>commit.operation</c> of a Jetstream commit event.</summary>
public enum JetstreamOperation : byte
{
    /// <summary><c>"create"</c>: the record is new; <c>record</c> and <c>cid</c> are present.</summary>
    Create,

    /// <summary><c>"update"</c>: the record replaced an older one; <c>record</c> and <c>cid</c> are present.</summary>
    Update,

    /// <summary><c>"delete"</c>: the record was removed; no <c>record</c> or <c>cid</c>.</summary>
    Delete,
}
