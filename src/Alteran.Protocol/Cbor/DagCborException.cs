namespace Alteran.Protocol.Cbor;

/// <summary>Input that is not valid DAG-CBOR (or exceeds the configured limits).</summary>
public sealed class DagCborException : FormatException
{
    /// <summary>Creates an exception for <paramref name="error"/> at byte <paramref name="offset"/>.</summary>
    public DagCborException(DagCborError error, int offset, string? detail = null)
        : base(FormatMessage(error, offset, detail))
    {
        Error = error;
        Offset = offset;
    }

    /// <summary>The reason.</summary>
    public DagCborError Error { get; }

    /// <summary>Byte offset in the input where the problem was found.</summary>
    public int Offset { get; }

    private static string FormatMessage(DagCborError error, int offset, string? detail) =>
        detail is null ? $"Invalid DAG-CBOR at byte {offset}: {error}." : $"Invalid DAG-CBOR at byte {offset}: {error} ({detail}).";
}
