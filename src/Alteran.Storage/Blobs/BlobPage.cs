using Alteran.Protocol;

namespace Alteran.Storage.Blobs;

/// <summary>
/// One page of <see cref="AlteranStore.ListBlobs"/>: referenced blob CIDs in binary CID order, and the CID to pass
/// back as the cursor (the last one examined), or empty when the listing is complete. A page can hold fewer than
/// the limit (even none) and still have a cursor when the scan bound was reached first.
/// </summary>
public sealed record BlobPage(List<Cid> Cids, Cid NextCursor);
