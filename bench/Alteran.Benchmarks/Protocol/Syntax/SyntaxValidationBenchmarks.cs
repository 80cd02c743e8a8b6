using Alteran.Protocol.Syntax;
using BenchmarkDotNet.Attributes;

namespace Alteran.Benchmarks.Protocol.Syntax;

/// <summary>Static validity checks on typical values, UTF-16 and UTF-8. Target: 0 bytes allocated.</summary>
[MemoryDiagnoser]
public class SyntaxValidationBenchmarks
{
    private const string DidText = "did:plc:7iza6de2dwap2sbkpav7c6c6";
    private const string HandleText = "alice.bsky.social";
    private const string NsidText = "app.bsky.feed.post";
    private const string AtUriText = "at://did:plc:7iza6de2dwap2sbkpav7c6c6/app.bsky.feed.post/3jzfcijpj2z2a";
    private const string DatetimeText = "2024-11-24T16:41:18.123Z";

    private static readonly byte[] DidUtf8 = "did:plc:7iza6de2dwap2sbkpav7c6c6"u8.ToArray();
    private static readonly byte[] AtUriUtf8 = "at://did:plc:7iza6de2dwap2sbkpav7c6c6/app.bsky.feed.post/3jzfcijpj2z2a"u8.ToArray();

    [Benchmark] public bool DidIsValid() => Did.IsValid(DidText);
    [Benchmark] public bool DidIsValidUtf8() => Did.IsValid(DidUtf8);
    [Benchmark] public bool HandleIsValid() => Handle.IsValid(HandleText);
    [Benchmark] public bool NsidIsValid() => Nsid.IsValid(NsidText);
    [Benchmark] public bool AtUriIsValid() => AtUri.IsValid(AtUriText);
    [Benchmark] public bool AtUriIsValidUtf8() => AtUri.IsValid(AtUriUtf8);
    [Benchmark] public bool DatetimeIsValid() => AtDatetime.IsValid(DatetimeText);
    [Benchmark] public bool DatetimeTryParse() => AtDatetime.TryParse(DatetimeText, out _);
}
