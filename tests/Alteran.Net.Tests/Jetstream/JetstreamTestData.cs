using System.Text;
using Alteran.Protocol;
using Alteran.Protocol.DataModel;

namespace Alteran.Net.Tests.Jetstream;

/// <summary>Record blocks built from the atproto JSON form with the real DAG-CBOR encoder.</summary>
internal static class JetstreamTestData
{
    public const string Did = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";
    public const string Rev = "3l3qo2vutsw2b";
    public const string RecordKey = "3l3qo2vuowo2b";
    public const long TimeUs = 1725911162329308;

    public const string PostJson =
        """{"$type":"app.bsky.feed.post","text":"Hello, Jetstream! ☀️ <tag> & \"quotes\"","langs":["en"],"createdAt":"2024-09-09T19:46:02.102Z"}""";

    // The same record as DAG-CBOR → JSON writes it: keys in canonical order (shorter first, then bytewise).
    public const string PostRecordOut =
        """{"text":"Hello, Jetstream! ☀️ <tag> & \"quotes\"","$type":"app.bsky.feed.post","langs":["en"],"createdAt":"2024-09-09T19:46:02.102Z"}""";

    public const string LikeJson =
        """{"$type":"app.bsky.feed.like","subject":{"cid":"bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a","uri":"at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3l3qo2vuowo2b"},"createdAt":"2024-09-09T19:46:02.102Z"}""";

    public static (byte[] Block, Cid Cid) Record(string json)
    {
        byte[] block = DagJson.JsonToCbor(Encoding.UTF8.GetBytes(json));
        return (block, Cid.ForDagCbor(block));
    }

    public static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
