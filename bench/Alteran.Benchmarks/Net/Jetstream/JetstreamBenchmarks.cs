using System.Text;
using Alteran.Net.Jetstream;
using Alteran.Protocol;
using Alteran.Protocol.DataModel;
using BenchmarkDotNet.Attributes;
using ZstdSharp;

namespace Alteran.Benchmarks.Net.Jetstream;

/// <summary>
/// Jetstream: encode a post create event to JSON (DAG-CBOR record straight to JSON), zstd-compress it with
/// Jetstream's dictionary, and match subscriber filters. The compression ratios are printed at setup.
/// </summary>
[MemoryDiagnoser]
public class JetstreamBenchmarks
{
    // A typical post: text with emoji and a mention facet, langs, a reply.
    private const string PostJson =
        """
        {"$type":"app.bsky.feed.post","text":"Morning all ☀️ @alice.bsky.social did you see the new Jetstream numbers? 🚀🚀 Way smaller frames with the dictionary.",
         "langs":["en"],"createdAt":"2024-09-09T19:46:02.102Z",
         "facets":[{"index":{"byteStart":16,"byteEnd":35},"features":[{"$type":"app.bsky.richtext.facet#mention","did":"did:plc:z72i7hdynmk6r22z27h6tvur"}]}],
         "reply":{"root":{"cid":"bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a","uri":"at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3l3qo2vuowo2b"},
                  "parent":{"cid":"bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a","uri":"at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3l3qo2vuowo2b"}}}
        """;

    private const string Did = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";

    private byte[] _record = [];
    private Cid _cid;
    private byte[] _json = [];
    private byte[] _frame = [];
    private JetstreamEncoder _encoder = null!;
    private JetstreamCompressor _compressor = null!;
    private JetstreamFilter _collections = null!;
    private JetstreamFilter _dids = null!;
    private byte[] _did = [];
    private byte[] _collection = [];

    [GlobalSetup]
    public void Setup()
    {
        _record = DagJson.JsonToCbor(Encoding.UTF8.GetBytes(PostJson));
        _cid = Cid.ForDagCbor(_record);
        _encoder = new JetstreamEncoder();
        _compressor = new JetstreamCompressor();
        _json = EncodePostCreate().ToArray();
        _frame = new byte[JetstreamCompressor.GetMaxCompressedLength(_json.Length)];

        int withDictionary = _compressor.Compress(_json).Length;
        using var plain = new Compressor(JetstreamCompressor.DefaultLevel);
        int withoutDictionary = plain.Wrap(_json).Length;
        Console.WriteLine($"// post create event: JSON {_json.Length} B, zstd+dictionary {withDictionary} B " +
            $"(ratio {(double)_json.Length / withDictionary:F2}), zstd without dictionary {withoutDictionary} B " +
            $"(ratio {(double)_json.Length / withoutDictionary:F2})");

        _collections = JetstreamFilter.Create(["app.bsky.graph.*", "app.bsky.feed.like", "app.bsky.feed.post", "app.bsky.actor.*"], null);
        string[] dids = new string[10_000];
        for (int i = 0; i < dids.Length; i++)
            dids[i] = $"did:plc:{i:D24}";
        dids[7_777] = Did;
        _dids = JetstreamFilter.Create(["app.bsky.feed.post"], dids);
        _did = Encoding.UTF8.GetBytes(Did);
        _collection = "app.bsky.feed.post"u8.ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _encoder.Dispose();
        _compressor.Dispose();
    }

    private ReadOnlySpan<byte> EncodePostCreate() => _encoder.EncodeCommit(new JetstreamCommit
    {
        Did = Did, TimeUs = 1725911162329308, Rev = "3l3qo2vutsw2b", Operation = JetstreamOperation.Create,
        Collection = "app.bsky.feed.post", RecordKey = "3l3qo2vuowo2b", Record = _record, Cid = _cid,
    });

    /// <summary>Post create event → JSON in the encoder's reusable buffer.</summary>
    [Benchmark]
    public int EncodePost() => EncodePostCreate().Length;

    /// <summary>zstd with the Jetstream dictionary, into a reused buffer.</summary>
    [Benchmark]
    public int CompressPost() => _compressor.Compress(_json, _frame);

    /// <summary>What the broadcaster does once per event: JSON + zstd frame, kept as a shareable event.</summary>
    [Benchmark]
    public int EncodeAndCompressShared() => _encoder.CreateCommitEvent(new JetstreamCommit
    {
        Did = Did, TimeUs = 1725911162329308, Rev = "3l3qo2vutsw2b", Operation = JetstreamOperation.Create,
        Collection = "app.bsky.feed.post", RecordKey = "3l3qo2vuowo2b", Record = _record, Cid = _cid,
    }, compress: true).Compressed.Length;

    /// <summary>Collection filter (exact + prefixes), the per-subscriber cost.</summary>
    [Benchmark]
    public bool MatchCollections() => _collections.Matches(_did, _collection);

    /// <summary>10,000-DID filter plus a collection, the per-subscriber cost.</summary>
    [Benchmark]
    public bool MatchDids() => _dids.Matches(_did, _collection);
}
