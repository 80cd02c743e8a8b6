namespace Alteran.Protocol.Car;

/// <summary>A malformed or over-limit CAR file.</summary>
public sealed class CarException : FormatException
{
    /// <summary>Creates an exception for <paramref name="error"/>.</summary>
    public CarException(CarError error, string message, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
    }

    /// <summary>The reason.</summary>
    public CarError Error { get; }
}
