namespace Alteran.Protocol.Sync;

/// <summary>What a decoded frame holds.</summary>
public enum FirehoseMessageKind
{
    /// <summary>A frame whose <c>op</c> or <c>t</c> we do not know (only in <see cref="FirehoseDecodeMode.Lenient"/> mode); clients skip it.</summary>
    Unknown,

    /// <summary><c>#commit</c>: a repository commit with its diff.</summary>
    Commit,

    /// <summary><c>#sync</c>: a new repository state without the diff.</summary>
    Sync,

    /// <summary><c>#identity</c>: the account's identity (handle, keys, PDS) may have changed.</summary>
    Identity,

    /// <summary><c>#account</c>: the account's hosting status changed.</summary>
    Account,

    /// <summary><c>#info</c>: an informational message (e.g. <c>OutdatedCursor</c>).</summary>
    Info,

    /// <summary>An error frame (<c>op: -1</c>).</summary>
    Error,
}
