using System.Text;
using Alteran.Net.Jetstream;

namespace Alteran.Net.Tests.Jetstream;

/// <summary>Every prefix and random mutations of valid inputs: only a clean result or JetstreamOptionsException.</summary>
public sealed class JetstreamHostileInputTests
{
    private const string Query =
        "wantedCollections=app.bsky.feed.post&wantedCollections=app.bsky.graph.%2A&wantedDids=did%3Aplc%3Aewvi7nxzyoun6zhxrhs64oiz" +
        "&cursor=1725911162000000&compress=true&requireHello=true&maxMessageSizeBytes=1000000";

    private const string Message =
        """{"type":"options_update","payload":{"wantedCollections":["app.bsky.feed.post","app.bsky.graph.*"],"wantedDids":["did:plc:ewvi7nxzyoun6zhxrhs64oiz"],"maxMessageSizeBytes":1000000}}""";

    [Fact]
    public void QueryPrefixes_ParseOrFailCleanly()
    {
        int parsed = 0;
        for (int cut = 0; cut <= Query.Length; cut++)
        {
            try
            {
                JetstreamSubscribeOptions.Parse(Query.AsSpan(0, cut), default, 1725911162329308);
                parsed++;
            }
            catch (JetstreamOptionsException)
            {
            }
        }
        Assert.True(parsed > Query.Length / 2);
    }

    [Fact]
    public void MutatedQueries_ParseOrFailCleanly()
    {
        var random = new Random(1234);
        const string alphabet = "%&=+;*.:aZ09\u00e9\u0000 ";
        for (int i = 0; i < 3000; i++)
        {
            char[] chars = Query.ToCharArray();
            for (int m = random.Next(1, 4); m > 0; m--)
                chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
            try
            {
                JetstreamSubscribeOptions.Parse(chars, default, 1725911162329308);
            }
            catch (JetstreamOptionsException)
            {
            }
        }
    }

    [Fact]
    public void MutatedMessages_ParseOrFailCleanly()
    {
        var random = new Random(99);
        byte[] original = Encoding.UTF8.GetBytes(Message);
        byte[] alphabet = "{}[]\",:*.\\ 0aZ\u00ff"u8.ToArray();
        int ok = 0;
        for (int i = 0; i < 5000; i++)
        {
            byte[] bytes = (byte[])original.Clone();
            for (int m = random.Next(1, 4); m > 0; m--)
            {
                int at = random.Next(bytes.Length);
                bytes[at] = random.Next(4) == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
            }
            try
            {
                JetstreamSubscriberMessage.ParseOptionsUpdate(bytes);
                ok++;
            }
            catch (JetstreamOptionsException)
            {
            }
        }
        Assert.InRange(ok, 1, 4999);
    }
}
