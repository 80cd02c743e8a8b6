namespace Alteran.Protocol.Car;

/// <summary>The CAR v1 header: <c>{roots: [cid…], version: 1}</c>. A repository export has one root, its commit.</summary>
public sealed class CarHeader
{
    /// <summary>Creates a header with the given roots.</summary>
    public CarHeader(Cid[] roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        Roots = roots;
    }

    /// <summary>The root CIDs, in file order.</summary>
    public IReadOnlyList<Cid> Roots { get; }
}
