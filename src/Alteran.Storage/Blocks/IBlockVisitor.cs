using Alteran.Protocol;

namespace Alteran.Storage.Blocks;

/// <summary>Receives blocks from <see cref="AlteranStore.GetBlocks{TVisitor}"/>; implement on a struct to avoid
/// interface dispatch and allocation. <paramref name="data"/> is valid only during the call.</summary>
public interface IBlockVisitor
{
    /// <summary>Called once per requested CID, in request order; <paramref name="found"/> false when missing.</summary>
    void Visit(int index, in Cid cid, bool found, ReadOnlySpan<byte> data);
}
