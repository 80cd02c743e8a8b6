using Alteran.Protocol.Lexicon;
using BenchmarkDotNet.Attributes;

namespace Alteran.Benchmarks.Protocol.Lexicon;

/// <summary>Cold cost of parsing lexicons from the embedded resources (paid once per document per process).</summary>
[MemoryDiagnoser]
public class LexiconLoadBenchmarks
{
    [Benchmark]
    public int LoadPostLexicon()
    {
        LexiconCatalog catalog = LexiconCatalog.CreateWithEmbedded();
        return catalog.TryGetDocument("app.bsky.feed.post", out LexiconDocument? doc) ? doc.Defs.Count : 0;
    }

    [Benchmark]
    public int LoadAllLexicons()
    {
        LexiconCatalog catalog = LexiconCatalog.CreateWithEmbedded();
        int defs = 0;
        foreach (string id in LexiconCatalog.EmbeddedIds)
            if (catalog.TryGetDocument(id, out LexiconDocument? doc))
                defs += doc.Defs.Count;
        return defs;
    }
}
