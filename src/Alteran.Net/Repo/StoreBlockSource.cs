using Alteran.Protocol;
using Alteran.Protocol.Repo;
using Alteran.Storage;

namespace Alteran.Net.Repo;

/// <summary>
/// Protocol's <see cref="IBlockSource"/> over one account's blocks in the store, through a shared
/// <see cref="BlockCache"/>. Blocks read from the store go into the cache; the MST loader verifies each node's
/// hash against its CID, so nothing unverified is ever used. Lives here rather than in Alteran.Storage because
/// Storage deliberately knows nothing of Protocol's repo types beyond <c>Cid</c>.
/// </summary>
public sealed class StoreBlockSource : IBlockSource
{
    private readonly AlteranStore _store;
    private readonly long _account;
    private readonly BlockCache? _cache;

    /// <summary>A source over <paramref name="account"/>'s blocks, optionally cached.</summary>
    public StoreBlockSource(AlteranStore store, long account, BlockCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _account = account;
        _cache = cache;
    }

    /// <summary>Blocks read from the store (cache misses) since creation; for tests and metrics.</summary>
    public int StoreReads { get; private set; }

    /// <inheritdoc/>
    public bool TryGetBlock(in Cid cid, out ReadOnlyMemory<byte> block)
    {
        if (_cache is not null && _cache.TryGet(cid, out byte[] cached))
        {
            block = cached;
            return true;
        }
        byte[]? bytes = _store.GetBlock(_account, cid);
        StoreReads++;
        if (bytes is null)
        {
            block = default;
            return false;
        }
        // Only MST nodes and commits are worth caching; both are DAG-CBOR, and records are read through other paths.
        _cache?.Add(cid, bytes);
        block = bytes;
        return true;
    }
}
