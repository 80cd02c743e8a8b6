namespace Alteran.Protocol.Car;

/// <summary>Why a CAR stream was rejected.</summary>
public enum CarError
{
    /// <summary>The input ended inside the header or a section.</summary>
    Truncated,
    /// <summary>A section length varint is over-long (&gt; 9 bytes) or not minimally encoded.</summary>
    InvalidVarint,
    /// <summary>A section of length zero.</summary>
    EmptySection,
    /// <summary>The header declares more bytes than <see cref="CarReaderOptions.MaxHeaderLength"/>.</summary>
    HeaderTooLarge,
    /// <summary>The header is not canonical DAG-CBOR <c>{roots: [cid…], version: 1}</c>.</summary>
    InvalidHeader,
    /// <summary>A section does not start with a blessed CID (v1, dag-cbor or raw, sha2-256).</summary>
    InvalidCid,
    /// <summary>A block is longer than <see cref="CarReaderOptions.MaxBlockLength"/>.</summary>
    BlockTooLarge,
    /// <summary>More blocks than <see cref="CarReaderOptions.MaxBlocks"/>.</summary>
    TooManyBlocks,
    /// <summary>A block's SHA-256 does not match its CID.</summary>
    HashMismatch,
    /// <summary>A DAG-CBOR block is not valid DAG-CBOR (only with <see cref="CarReaderOptions.ValidateDagCbor"/>).</summary>
    InvalidBlock,
}
