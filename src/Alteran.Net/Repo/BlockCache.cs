using Alteran.Protocol;

namespace Alteran.Net.Repo;

/// <summary>
/// A bounded in-memory cache of repo blocks (MST nodes, commits), shared by all repos. Blocks are content-addressed,
/// so an entry can never be stale: a failed commit or a concurrent writer cannot make a cached block wrong, only
/// unreferenced. That is why the cache needs no invalidation, only a size bound. Eviction is "clear everything
/// when full": the hot nodes (roots and upper layers of active repos) come back within a few commits, and the
/// cache stays a plain dictionary without per-hit bookkeeping.
/// </summary>
public sealed class BlockCache
{
    private readonly object _gate = new();
    private readonly Dictionary<Cid, byte[]> _blocks = new();
    private readonly long _maxBytes;
    private long _bytes;

    /// <summary>Creates a cache holding at most <paramref name="maxBytes"/> bytes of blocks (0 disables it).</summary>
    public BlockCache(long maxBytes) => _maxBytes = Math.Max(0, maxBytes);

    /// <summary>Bytes currently held.</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>Looks a block up.</summary>
    public bool TryGet(in Cid cid, out byte[] block)
    {
        lock (_gate)
            return _blocks.TryGetValue(cid, out block!);
    }

    /// <summary>Adds a block (whose CID the caller has checked or computed).</summary>
    public void Add(in Cid cid, byte[] block)
    {
        if (block.Length > _maxBytes / 8)
            return; // never let one block take a large share
        lock (_gate)
        {
            if (_bytes + block.Length > _maxBytes)
            {
                _blocks.Clear();
                _bytes = 0;
            }
            if (_blocks.TryAdd(cid, block))
                _bytes += block.Length;
        }
    }
}
