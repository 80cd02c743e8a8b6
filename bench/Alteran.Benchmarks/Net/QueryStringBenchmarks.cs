using Alteran.Net.Http;
using BenchmarkDotNet.Attributes;

namespace Alteran.Benchmarks.Net;

/// <summary>Query parameter lookup and percent-decoding (only the returned string allocates).</summary>
[MemoryDiagnoser]
public class QueryStringBenchmarks
{
    private static readonly byte[] s_query = "repo=did%3Aplc%3Aewvi7nxzyoun6zhxrhs64oiz&collection=app.bsky.feed.post&rkey=3jzfcijpj2z2a&limit=50"u8.ToArray();

    [Benchmark]
    public long TryGetInt64()
    {
        new QueryString(s_query).TryGetInt64("limit"u8, out long limit);
        return limit;
    }

    [Benchmark]
    public string GetStringDecoded() => new QueryString(s_query).GetString("repo"u8)!;
}
