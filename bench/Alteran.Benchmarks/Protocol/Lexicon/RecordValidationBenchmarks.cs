using System.Text.Json;
using Alteran.Protocol;
using Alteran.Protocol.Lexicon;
using BenchmarkDotNet.Attributes;

namespace Alteran.Benchmarks.Protocol.Lexicon;

/// <summary>Validating typical records against the embedded lexicons (schemas loaded and refs cached in setup).</summary>
[MemoryDiagnoser]
public class RecordValidationBenchmarks
{
    private JsonDocument _post = null!;
    private JsonDocument _profile = null!;
    private JsonDocument _follow = null!;

    [GlobalSetup]
    public void Setup()
    {
        string image = Cid.ForRaw("a picture of a cat"u8).ToString();
        string post = Cid.ForDagCbor("a post"u8).ToString();
        _post = JsonDocument.Parse($$$"""
        {
          "$type": "app.bsky.feed.post",
          "text": "Hello @alice.bsky.social, see https://example.com #atproto ✨",
          "createdAt": "2024-11-20T12:34:56.789Z",
          "langs": ["en"],
          "facets": [
            {"index": {"byteStart": 6, "byteEnd": 24},
             "features": [{"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:z72i7hdynmk6r22z27h6tvur"}]},
            {"index": {"byteStart": 30, "byteEnd": 49},
             "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://example.com"}]},
            {"index": {"byteStart": 50, "byteEnd": 58},
             "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "atproto"}]}
          ],
          "embed": {
            "$type": "app.bsky.embed.images",
            "images": [
              {"alt": "a cat",
               "image": {"$type": "blob", "ref": {"$link": "{{{image}}}"}, "mimeType": "image/jpeg", "size": 123456},
               "aspectRatio": {"width": 1000, "height": 750}}
            ]
          },
          "reply": {
            "root": {"uri": "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3kzt5b7jnbc2u", "cid": "{{{post}}}"},
            "parent": {"uri": "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3kzt5b7jnbc2u", "cid": "{{{post}}}"}
          }
        }
        """);
        _profile = JsonDocument.Parse($$$"""
        {
          "$type": "app.bsky.actor.profile",
          "displayName": "Alice 🌈",
          "description": "Writes about cats.\nAnd dogs. Lives in Lisbon, posts daily.",
          "avatar": {"$type": "blob", "ref": {"$link": "{{{image}}}"}, "mimeType": "image/png", "size": 50000},
          "banner": {"$type": "blob", "ref": {"$link": "{{{image}}}"}, "mimeType": "image/jpeg", "size": 900000},
          "createdAt": "2024-01-01T00:00:00Z"
        }
        """);
        _follow = JsonDocument.Parse("""
        {"$type": "app.bsky.graph.follow", "subject": "did:plc:z72i7hdynmk6r22z27h6tvur", "createdAt": "2024-11-20T12:34:56Z"}
        """);
        if (!ValidatePost() || !ValidateProfile() || !ValidateFollow())
            throw new InvalidOperationException("benchmark records must be valid");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _post.Dispose();
        _profile.Dispose();
        _follow.Dispose();
    }

    [Benchmark(Baseline = true)]
    public bool ValidatePost() => LexiconCatalog.Default.ValidateRecord("app.bsky.feed.post", _post.RootElement).IsValid;

    [Benchmark]
    public bool ValidateProfile() => LexiconCatalog.Default.ValidateRecord("app.bsky.actor.profile", _profile.RootElement).IsValid;

    [Benchmark]
    public bool ValidateFollow() => LexiconCatalog.Default.ValidateRecord("app.bsky.graph.follow", _follow.RootElement).IsValid;

    [Benchmark]
    public bool ValidateRecordKey() => LexiconCatalog.Default.ValidateRecordKey("app.bsky.feed.post", "3kzt5b7jnbc2u").IsValid;
}
