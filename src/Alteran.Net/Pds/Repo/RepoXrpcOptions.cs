namespace Alteran.Net.Pds.Repo;

/// <summary>Limits and policy of the <c>com.atproto.repo</c> / <c>com.atproto.sync</c> handlers.</summary>
public sealed class RepoXrpcOptions
{
    /// <summary>Largest accepted blob (bytes); also the <c>uploadBlob</c> route's body limit. Reference PDS: 100 MB.</summary>
    public long MaxBlobBytes { get; init; } = 100L * 1000 * 1000;

    /// <summary>Body limit of the JSON write procedures (createRecord, putRecord, deleteRecord, applyWrites).</summary>
    public long MaxWriteBodyBytes { get; init; } = 1L << 20;

    /// <summary>Most writes in one <c>applyWrites</c> (the lexicon and the reference PDS: 200).</summary>
    public int MaxApplyWrites { get; init; } = 200;

    /// <summary>MIME types <c>uploadBlob</c> accepts, as sniffed from the content (never taken from Content-Type).</summary>
    public IReadOnlySet<string> AllowedBlobMimeTypes { get; init; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "image/jpeg", "image/png", "image/gif", "image/webp", "image/avif", "image/heic",
        "video/mp4", "video/quicktime", "video/webm",
    };
}
