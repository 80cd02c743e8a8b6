using Alteran.Protocol.Mst;
using MstTree = Alteran.Protocol.Mst.Mst;

namespace Alteran.Protocol.Repo;

/// <summary>
/// Sync v1.1 commit check: apply a commit's operations in reverse to the tree it produced and recompute the tree
/// before it (<c>prevData</c>). The tree comes from the blocks the <c>#commit</c> event carried, which must include
/// the covering proofs; anything else missing gives <see cref="MstMissingBlockException"/>.
/// </summary>
public static class CommitInversion
{
    /// <summary>Returns the MST root before the commit.</summary>
    /// <param name="blocks">The event's blocks (a partial tree is enough).</param>
    /// <param name="data">MST root after the commit (<c>Commit.Data</c>).</param>
    /// <param name="ops">The commit's operations.</param>
    /// <exception cref="RepoException">An operation does not match the tree (for example a create whose key is absent).</exception>
    /// <exception cref="MstException">A needed node is missing or malformed.</exception>
    public static Cid ComputePrevData(IBlockSource blocks, in Cid data, IReadOnlyList<RepoOp> ops)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(ops);
        var tree = MstTree.Load(blocks, data);
        for (int i = ops.Count - 1; i >= 0; i--)
        {
            var op = ops[i];
            byte[] key = MstKey.ToBytes(op.Path);
            switch (op.Action)
            {
                case WriteAction.Create:
                {
                    Cid? removed = tree.Delete(key);
                    if (removed is null || op.Cid is not { } cid || removed.Value != cid)
                        throw new RepoException($"Create of '{op.Path}' does not match the tree.");
                    break;
                }
                case WriteAction.Update:
                {
                    if (op.Prev is not { } prev || op.Cid is not { } cid)
                        throw new RepoException($"Update of '{op.Path}' lacks cid or prev.");
                    if (!tree.TryGet(key, out var current) || current != cid)
                        throw new RepoException($"Update of '{op.Path}' does not match the tree.");
                    tree.Update(key, prev);
                    break;
                }
                case WriteAction.Delete:
                {
                    if (op.Prev is not { } prev)
                        throw new RepoException($"Delete of '{op.Path}' lacks prev.");
                    if (tree.TryGet(key, out _))
                        throw new RepoException($"Delete of '{op.Path}' does not match the tree: the key is still there.");
                    tree.Add(key, prev);
                    break;
                }
                default:
                    throw new RepoException($"Unknown action for '{op.Path}'.");
            }
        }
        return tree.ComputeRoot();
    }
}
