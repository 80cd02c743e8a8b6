using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alteran.Protocol.Cbor;
using Alteran.Protocol.DataModel;

namespace Alteran.Protocol.Tests.DataModel;

public class DagJsonTests
{
    private static string FixturePath(string name) =>
        Path.Combine(AppContext.BaseDirectory, "fixtures", "interop", "data-model", name);

    private static JsonArray LoadFixture(string name) =>
        JsonNode.Parse(File.ReadAllBytes(FixturePath(name)))!.AsArray();

    private static byte[] Utf8(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    [Fact]
    public void Fixtures_convert_json_to_cbor_byte_exact_with_cids()
    {
        JsonArray cases = LoadFixture("data-model-fixtures.json");
        Assert.Equal(3, cases.Count);
        foreach (JsonNode? c in cases)
        {
            byte[] expected = Convert.FromBase64String(PadBase64((string)c!["cbor_base64"]!));
            byte[] actual = DagJson.JsonToCbor(Utf8(c["json"]!));
            Assert.Equal(Convert.ToHexStringLower(expected), Convert.ToHexStringLower(actual));
            Assert.Equal((string)c["cid"]!, Cid.ForDagCbor(actual).ToString());
            DagCbor.Validate(actual);
        }
    }

    [Fact]
    public void Fixtures_convert_cbor_to_json_and_back()
    {
        foreach (JsonNode? c in LoadFixture("data-model-fixtures.json"))
        {
            byte[] cbor = Convert.FromBase64String(PadBase64((string)c!["cbor_base64"]!));
            byte[] json = DagJson.CborToJson(cbor);
            // Same JSON value as the fixture (key order aside) ...
            Assert.True(JsonNode.DeepEquals(c["json"], JsonNode.Parse(json)), Encoding.UTF8.GetString(json));
            // ... and it converts back to the same bytes.
            Assert.Equal(cbor, DagJson.JsonToCbor(json));
        }
    }

    [Fact]
    public void Valid_fixtures_are_accepted()
    {
        JsonArray cases = LoadFixture("data-model-valid.json");
        Assert.Equal(5, cases.Count);
        foreach (JsonNode? c in cases)
        {
            byte[] cbor = DagJson.JsonToCbor(Utf8(c!["json"]!));
            DagCbor.Validate(cbor);
            // Round trip through JSON gives the same bytes.
            Assert.Equal(cbor, DagJson.JsonToCbor(DagJson.CborToJson(cbor)));
        }
    }

    [Fact]
    public void Lexicon_valid_records_are_valid_data()
    {
        // Lexicon-valid records are data-model-valid by definition; includes blob, $bytes and $link shapes.
        string path = Path.Combine(AppContext.BaseDirectory, "fixtures", "interop", "lexicon", "record-data-valid.json");
        JsonArray cases = JsonNode.Parse(File.ReadAllBytes(path))!.AsArray();
        Assert.NotEmpty(cases);
        foreach (JsonNode? c in cases)
        {
            byte[] cbor = DagJson.JsonToCbor(Utf8(c!["data"]!));
            DagCbor.Validate(cbor);
            Assert.Equal(cbor, DagJson.JsonToCbor(DagJson.CborToJson(cbor)));
            var blobs = new List<Cid>();
            DagCbor.CollectBlobRefs(cbor, blobs);
            Assert.Equal(CountBlobs(c["data"]), blobs.Count);
        }
    }

    [Fact]
    public void Integer_like_float_becomes_an_integer()
    {
        byte[] a = DagJson.JsonToCbor("""{"a": 123.0}"""u8);
        byte[] b = DagJson.JsonToCbor("""{"a": 123}"""u8);
        Assert.Equal(b, a);
    }

    [Fact]
    public void Invalid_fixtures_are_rejected()
    {
        JsonArray cases = LoadFixture("data-model-invalid.json");
        Assert.Equal(12, cases.Count);
        foreach (JsonNode? c in cases)
        {
            string note = (string)c!["note"]!;
            var e = Assert.Throws<DataModelException>(() => DagJson.JsonToCbor(Utf8(c["json"]!)));
            DataModelError expected = note switch
            {
                "top-level not an object" => DataModelError.TopLevelNotObject,
                "float" => DataModelError.Float,
                _ when note.StartsWith("record with") => DataModelError.InvalidType,
                _ when note.StartsWith("blob") => DataModelError.InvalidBlob,
                _ when note.StartsWith("bytes") => DataModelError.InvalidBytes,
                _ when note.StartsWith("link") => DataModelError.InvalidLink,
                _ => throw new InvalidOperationException("unknown case " + note),
            };
            Assert.True(expected == e.Error, $"{note}: expected {expected}, got {e.Error}");
        }
    }

    [Theory]
    [InlineData("""{"a": 1.5}""", DataModelError.Float)]
    [InlineData("""{"a": 1e300}""", DataModelError.Float)]
    [InlineData("""{"a": 18446744073709551616}""", DataModelError.Float)]
    [InlineData("""{"a": 1, "a": 2}""", DataModelError.DuplicateKey)]
    [InlineData("""{"a": "\ud800"}""", DataModelError.InvalidText)]
    [InlineData("""{"\udc00": 1}""", DataModelError.InvalidText)]
    [InlineData("""{"a": {"$bytes": "a"}}""", DataModelError.InvalidBytes)]
    [InlineData("""{"a": {"$bytes": "!!!!"}}""", DataModelError.InvalidBytes)]
    [InlineData("""{"a": {"$link": "bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2"}}""", DataModelError.InvalidLink)]
    [InlineData("""{"a": {"$link": "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"}}""", DataModelError.InvalidLink)]
    [InlineData("""{"a": """, DataModelError.InvalidJson)]
    [InlineData("""[1]""", DataModelError.TopLevelNotObject)]
    [InlineData("""{"b": {"$type": "blob", "ref": "bafkreiccldh766hwcnuxnf2wh6jgzepf2nlu2lvcllt63eww5p6chi4ity", "mimeType": "a/b", "size": 1}}""", DataModelError.InvalidBlob)]
    [InlineData("""{"b": {"$type": "blob", "ref": {"$link": "bafkreiccldh766hwcnuxnf2wh6jgzepf2nlu2lvcllt63eww5p6chi4ity"}, "mimeType": "a/b", "size": 1, "x": 1}}""", DataModelError.InvalidBlob)]
    public void Malformed_json_is_rejected(string json, DataModelError expected)
    {
        var e = Assert.Throws<DataModelException>(() => DagJson.JsonToCbor(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(expected, e.Error);
    }

    [Fact]
    public void Keys_are_sorted_canonically_and_bytes_accept_padding()
    {
        byte[] cbor = DagJson.JsonToCbor("""{"bb": 1, "a": 2, "c": {"$bytes": "AQI="}, "ccc": {"$bytes": "AQL"}}"""u8);
        var r = new DagCborReader(cbor);
        Assert.Equal(4, r.ReadMapHeader());
        Assert.Equal("a", r.ReadTextString());
        r.SkipValue();
        Assert.Equal("c", r.ReadTextString());
        Assert.Equal(new byte[] { 1, 2 }, r.ReadBytes().ToArray());
        Assert.Equal("bb", r.ReadTextString());
        r.SkipValue();
        Assert.Equal("ccc", r.ReadTextString());
        Assert.Equal(new byte[] { 1, 2 }, r.ReadBytes().ToArray()); // "AQL": trailing bits ignored, as Go and Node do
        r.EnsureEnd();
    }

    [Fact]
    public void Oversized_collections_are_rejected()
    {
        int n = DagCborLimits.DefaultMaxCollectionLength;
        string ok = "{\"a\":[" + string.Join(',', Enumerable.Repeat("0", n)) + "]}";
        DagCbor.Validate(DagJson.JsonToCbor(Encoding.UTF8.GetBytes(ok)));
        string tooMany = "{\"a\":[" + string.Join(',', Enumerable.Repeat("0", n + 1)) + "]}";
        var e = Assert.Throws<DataModelException>(() => DagJson.JsonToCbor(Encoding.UTF8.GetBytes(tooMany)));
        Assert.Equal(DataModelError.LimitExceeded, e.Error);
    }

    [Fact]
    public void Deep_json_is_rejected_not_overflowing()
    {
        string deep = string.Concat(Enumerable.Repeat("{\"a\":", 100_000)) + "1" + new string('}', 100_000);
        var e = Assert.Throws<DataModelException>(() => DagJson.JsonToCbor(Encoding.UTF8.GetBytes(deep)));
        Assert.Equal(DataModelError.InvalidJson, e.Error);
        // Just within the limit works, and round-trips.
        string ok = string.Concat(Enumerable.Repeat("{\"a\":", 63)) + "1" + new string('}', 63);
        byte[] cbor = DagJson.JsonToCbor(Encoding.UTF8.GetBytes(ok));
        Assert.Equal(cbor, DagJson.JsonToCbor(DagJson.CborToJson(cbor)));
    }

    [Fact]
    public void Cbor_to_json_rejects_invalid_cbor()
    {
        Assert.Throws<DagCborException>(() => DagJson.CborToJson(new byte[] { 0xa2, 0x61, 0x62, 0x01, 0x61, 0x61, 0x01 }));
        Assert.Throws<DagCborException>(() => DagJson.CborToJson(new byte[] { 0xfa, 0, 0, 0, 0 }));
        var bomb = new byte[100_000];
        bomb.AsSpan().Fill(0x81);
        Assert.Throws<DagCborException>(() => DagJson.CborToJson(bomb));
    }

    [Fact]
    public void Random_cbor_round_trips_through_json()
    {
        var rng = new Random(424242);
        for (int i = 0; i < 300; i++)
        {
            var map = Cbor.CborTestValues.NewMap();
            map["v"] = Cbor.CborTestValues.RandomValue(rng, 4);
            byte[] cbor = Cbor.CborTestValues.Encode(map);
            byte[] json = DagJson.CborToJson(cbor);
            // Integers beyond 2^53 stay exact because JSON integers are parsed as int64, not double.
            byte[] back = DagJson.JsonToCbor(json);
            Assert.Equal(cbor, back);
        }
    }

    private static int CountBlobs(JsonNode? node) => node switch
    {
        JsonObject o => ((string?)(o["$type"] as JsonValue) == "blob" ? 1 : 0) + o.Sum(p => CountBlobs(p.Value)),
        JsonArray a => a.Sum(CountBlobs),
        _ => 0,
    };

    private static string PadBase64(string s) => s.PadRight((s.Length + 3) / 4 * 4, '=');
}
