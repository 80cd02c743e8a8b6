using Alteran.Protocol.Syntax;
using BenchmarkDotNet.Attributes;

namespace Alteran.Benchmarks.Protocol.Syntax;

/// <summary>TID generation and formatting.</summary>
[MemoryDiagnoser]
public class TidBenchmarks
{
    private readonly TidClock _clock = new();
    private readonly Tid _tid = Tid.FromTimestamp(1_732_466_478_123_456, 417);
    private readonly char[] _buffer = new char[Tid.Length];

    [Benchmark] public Tid ClockNext() => _clock.Next();
    [Benchmark] public void FormatToSpan() => _tid.FormatTo(_buffer);
    [Benchmark] public string FormatToString() => _tid.ToString();
    [Benchmark] public bool TryParse() => Tid.TryParse("3jzfcijpj2z2a", out _);
}
