using Alteran.Net.Auth;
using BenchmarkDotNet.Attributes;

namespace Alteran.Benchmarks.Net.Auth;

/// <summary>One Argon2id hash with the production parameters (m = 19 MiB, t = 2, p = 1): the cost of a login.</summary>
[MemoryDiagnoser]
public class PasswordHashBenchmarks
{
    private readonly PasswordHasher _hasher = new();
    private string _stored = null!;

    [GlobalSetup]
    public void Setup() => _stored = _hasher.Hash("correct horse battery staple");

    [Benchmark]
    public string Hash() => _hasher.Hash("correct horse battery staple");

    [Benchmark]
    public PasswordVerification Verify() => _hasher.Verify("correct horse battery staple", _stored);
}
