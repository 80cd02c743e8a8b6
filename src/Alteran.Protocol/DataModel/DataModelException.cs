namespace Alteran.Protocol.DataModel;

/// <summary>A value in the atproto JSON form that is not valid atproto data.</summary>
public sealed class DataModelException : FormatException
{
    /// <summary>Creates an exception for <paramref name="error"/>.</summary>
    public DataModelException(DataModelError error, string message, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
    }

    /// <summary>The reason.</summary>
    public DataModelError Error { get; }
}
