namespace Alteran.Protocol.Sync;

/// <summary>
/// Size rules for <c>com.atproto.sync.subscribeRepos</c> frames. A commit that breaks
/// <see cref="MaxCommitOps"/> or <see cref="MaxCommitBlocksBytes"/> must not go out as <c>#commit</c>: the caller
/// emits <c>#sync</c> (the signed commit alone) instead, and consumers fetch the repository.
/// </summary>
/// <remarks>
/// The two commit limits are the lexicon's <c>maxLength</c> on <c>#commit.ops</c> and <c>#commit.blocks</c>;
/// <see cref="MaxSyncBlocksBytes"/> is that on <c>#sync.blocks</c>. The encoders also bound every string they
/// take from the caller (the constants below), so no frame they produce can reach <see cref="MaxFrameBytes"/>:
/// the largest possible <c>#commit</c> is 200 ops × (3 × 1024-char path + 120) + 2,000,000 + ~7 KB ≈ 2.6 MB.
/// </remarks>
public static class FirehoseLimits
{
    /// <summary>Most ops a <c>#commit</c> may carry.</summary>
    public const int MaxCommitOps = 200;

    /// <summary>Largest <c>#commit.blocks</c> CAR, in bytes.</summary>
    public const int MaxCommitBlocksBytes = 2_000_000;

    /// <summary>Largest <c>#sync.blocks</c> CAR (a CAR holding just the signed commit), in bytes.</summary>
    public const int MaxSyncBlocksBytes = 10_000;

    /// <summary>Largest frame (header + body) we emit or accept, in bytes.</summary>
    public const int MaxFrameBytes = 5_000_000;

    /// <summary>Longest DID (chars) an encoder accepts; the DID spec caps DIDs at 2 KB.</summary>
    public const int MaxDidLength = 2048;

    /// <summary>Longest handle (chars) an encoder accepts (the handle spec's 253).</summary>
    public const int MaxHandleLength = 253;

    /// <summary>Longest rev / since (chars) an encoder accepts; a TID is 13, this leaves room for other rev forms.</summary>
    public const int MaxRevLength = 64;

    /// <summary>Longest record path <c>collection/rkey</c> (chars) an encoder accepts: NSID ≤ 317 + 1 + rkey ≤ 512.</summary>
    public const int MaxPathLength = 1024;

    /// <summary>Longest short name (account status, info name, error name) in chars.</summary>
    public const int MaxNameLength = 128;

    /// <summary>Longest free-text message (info or error) in chars.</summary>
    public const int MaxMessageLength = 4096;

    /// <summary>
    /// True if a commit with <paramref name="opCount"/> ops and a blocks CAR of <paramref name="blocksLength"/>
    /// bytes may be emitted as <c>#commit</c>; false means emit <c>#sync</c> instead.
    /// </summary>
    public static bool FitsInCommit(int opCount, long blocksLength) =>
        opCount is >= 0 and <= MaxCommitOps && blocksLength is >= 0 and <= MaxCommitBlocksBytes;
}
