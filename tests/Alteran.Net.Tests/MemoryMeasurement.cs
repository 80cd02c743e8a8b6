namespace Alteran.Net.Tests;

/// <summary>
/// Tests that read the process's managed heap (<c>GC.GetTotalMemory</c>) run alone: another test class allocating in
/// parallel would be counted as theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurement
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Memory measurement (not parallel)";
}
