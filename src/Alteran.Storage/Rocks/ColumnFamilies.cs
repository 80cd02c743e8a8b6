namespace Alteran.Storage.Rocks;

/// <summary>The column families, in open order (the enum value is the index into the handle array).
/// Byte layouts: STORAGE-LAYOUT.md.</summary>
internal enum ColumnFamily
{
    Default = 0,
    Meta,
    Blocks,
    Records,
    RepoRoots,
    Events,
    Accounts,
    Sessions,
    Blobs,
    BlockRevs,
    AccountMeta,
}

/// <summary>Per-CF tuning: prefix extractor length for prefix scans, bloom filters for point reads.</summary>
internal readonly record struct ColumnFamilyDescriptor(string Name, int PrefixLength, bool PointLookups, bool Compress, int BlockSize);

internal static class ColumnFamilies
{
    /// <summary>Index = <see cref="ColumnFamily"/> value. Keep in sync with STORAGE-LAYOUT.md.</summary>
    public static readonly ColumnFamilyDescriptor[] All =
    [
        new("default", 0, false, false, 4096),
        new("meta", 0, false, false, 4096),
        // blocks: point reads by (account, CID) and scans by account; 8-byte prefix = account id.
        new("blocks", 8, true, true, 16 * 1024),
        new("records", 8, true, true, 4096),
        new("repo_roots", 0, true, false, 4096),
        // events: sequential by seq, read in ranges; no filters needed.
        new("events", 0, false, true, 16 * 1024),
        new("accounts", 0, true, true, 4096),
        new("sessions", 0, true, false, 4096),
        new("blobs", 8, true, false, 4096),
        // block_revs (schema 2): key-only index account | rev | cid, scanned by range (getRepo since, block counts).
        new("block_revs", 8, false, true, 4096),
        // account_meta (schema 3): small per-account rows (preferences, app passwords, session chains); point reads.
        new("account_meta", 8, true, false, 4096),
    ];
}
