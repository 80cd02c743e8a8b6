namespace Alteran.Protocol.Mst;

/// <summary>
/// An MST operation failed: an invalid key, a missing or existing key where the operation forbids it, a block
/// missing from a partial tree, or a tree that is not a well-formed MST (bad node encoding, keys out of order or
/// at the wrong height, empty intermediate nodes, CID mismatch).
/// </summary>
public class MstException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MstException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with an inner cause.</summary>
    public MstException(string message, Exception inner) : base(message, inner)
    {
    }
}

/// <summary>A node the operation needed is not in the block source (a partial tree, or a broken store).</summary>
public sealed class MstMissingBlockException : MstException
{
    /// <summary>Creates the exception for <paramref name="cid"/>.</summary>
    public MstMissingBlockException(Cid cid) : base($"MST node block {cid} is not available.")
    {
        Cid = cid;
    }

    /// <summary>The missing block.</summary>
    public Cid Cid { get; }
}
