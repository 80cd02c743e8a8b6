namespace Alteran.Protocol.Cbor;

/// <summary>One-shot DAG-CBOR operations over whole blocks.</summary>
public static class DagCbor
{
    /// <summary>
    /// Checks that <paramref name="block"/> is exactly one canonical DAG-CBOR value within <paramref name="limits"/>;
    /// throws <see cref="DagCborException"/> otherwise. Used for records from clients and for CAR blocks.
    /// </summary>
    public static void Validate(ReadOnlySpan<byte> block, DagCborLimits limits = default)
    {
        var reader = new DagCborReader(block, limits);
        reader.SkipValue();
        reader.EnsureEnd();
    }

    /// <summary>True if <paramref name="block"/> is exactly one canonical DAG-CBOR value within <paramref name="limits"/>.</summary>
    public static bool IsValid(ReadOnlySpan<byte> block, DagCborLimits limits = default)
    {
        try
        {
            Validate(block, limits);
            return true;
        }
        catch (DagCborException)
        {
            return false;
        }
    }

    /// <summary>
    /// Validates <paramref name="record"/> and adds to <paramref name="into"/> the CID of every blob it references,
    /// i.e. the <c>ref</c> link of every map whose <c>$type</c> is <c>"blob"</c> (the typed blob form; legacy
    /// <c>{cid, mimeType}</c> blobs carry a string, not a link, and are not collected). Duplicates are kept.
    /// </summary>
    public static void CollectBlobRefs(ReadOnlySpan<byte> record, List<Cid> into, DagCborLimits limits = default)
    {
        ArgumentNullException.ThrowIfNull(into);
        var reader = new DagCborReader(record, limits);
        CollectBlobRefs(ref reader, into);
        reader.EnsureEnd();
    }

    // Recursion is bounded by the reader's depth limit (≤ DagCborLimits.HardMaxDepth levels), which it checks
    // before entering each container, so input cannot drive this deeper than 64 frames.
    private static void CollectBlobRefs(ref DagCborReader reader, List<Cid> into)
    {
        switch (reader.PeekKind())
        {
            case CborKind.Map:
            {
                int n = reader.ReadMapHeader();
                Cid link = default;
                bool isBlob = false;
                for (int i = 0; i < n; i++)
                {
                    ReadOnlySpan<byte> key = reader.ReadMapKey();
                    if (key.SequenceEqual("ref"u8) && reader.PeekKind() == CborKind.Cid)
                        link = reader.ReadCid();
                    else if (key.SequenceEqual("$type"u8) && reader.PeekKind() == CborKind.Text)
                        isBlob = reader.ReadText().SequenceEqual("blob"u8);
                    else
                        CollectBlobRefs(ref reader, into);
                }
                if (isBlob && !link.IsEmpty)
                    into.Add(link);
                break;
            }
            case CborKind.Array:
            {
                int n = reader.ReadArrayHeader();
                for (int i = 0; i < n; i++)
                    CollectBlobRefs(ref reader, into);
                break;
            }
            default:
                reader.SkipValue();
                break;
        }
    }
}
