namespace Alteran.Protocol.Repo;

/// <summary>
/// Read access to content-addressed blocks (DAG-CBOR nodes, records, commits) by CID. Storage implements it over
/// the repository store; <see cref="BlockMap"/> implements it in memory (partial trees, proofs, tests).
/// </summary>
public interface IBlockSource
{
    /// <summary>Gets the bytes of block <paramref name="cid"/>, or returns false if this source does not hold it.</summary>
    bool TryGetBlock(in Cid cid, out ReadOnlyMemory<byte> block);
}
