using System.Text;
using System.Text.Json;

namespace Alteran.Load.Xrpc;

/// <summary>
/// Realistic <c>app.bsky.feed.post</c> records (text 20–280 chars, langs, createdAt) and record keys: TIDs made
/// here, so a write's path is known before the server answers (the firehose phase matches frames by path).
/// </summary>
internal static class PostFactory
{
    public const string Collection = "app.bsky.feed.post";
    private const string TidAlphabet = "234567abcdefghijklmnopqrstuvwxyz";
    private static readonly string[] Words =
    [
        "the", "a", "protocol", "server", "data", "repo", "today", "I", "think", "we", "should", "build", "fast",
        "small", "trust", "network", "post", "hello", "world", "again", "about", "this", "open", "social", "web",
        "coffee", "morning", "code", "review", "shipping", "feature", "bug", "fixed", "great", "news", "🚀", "✨",
    ];

    private static readonly string[] Langs = ["en", "en", "en", "ja", "pt", "de", "fr"];
    private static readonly long ClockId = Random.Shared.Next(0, 1024);
    private static long s_lastMicros;

    /// <summary>A fresh, strictly increasing TID (microseconds since epoch, 10-bit clock id).</summary>
    public static string NextTid()
    {
        long now = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
        long last, next;
        do
        {
            last = Volatile.Read(ref s_lastMicros);
            next = Math.Max(now, last + 1);
        }
        while (Interlocked.CompareExchange(ref s_lastMicros, next, last) != last);

        ulong v = ((ulong)next << 10) | (ulong)ClockId;
        Span<char> chars = stackalloc char[13];
        for (int i = 0; i < 13; i++)
        {
            chars[i] = TidAlphabet[(int)((v >> (60 - (5 * i))) & 31)];
        }

        return new string(chars);
    }

    public static string Text()
    {
        int target = Random.Shared.Next(20, 281);
        var sb = new StringBuilder(target + 16);
        while (sb.Length < target)
        {
            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            sb.Append(Words[Random.Shared.Next(Words.Length)]);
        }

        return sb.ToString(0, Math.Min(sb.Length, target)).TrimEnd();
    }

    public static void WritePost(Utf8JsonWriter w, string? embedBlobsJson = null)
    {
        w.WriteStartObject();
        w.WriteString("$type", Collection);
        w.WriteString("text", Text());
        w.WriteStartArray("langs");
        w.WriteStringValue(Langs[Random.Shared.Next(Langs.Length)]);
        w.WriteEndArray();
        w.WriteString("createdAt", DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        if (embedBlobsJson is not null)
        {
            w.WritePropertyName("embed");
            w.WriteRawValue(embedBlobsJson);
        }

        w.WriteEndObject();
    }

    /// <summary>Body of com.atproto.repo.createRecord.</summary>
    public static byte[] CreateRecordBody(string did, string rkey, string? embedBlobsJson = null) => XrpcClient.Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("repo", did);
        w.WriteString("collection", Collection);
        w.WriteString("rkey", rkey);
        w.WritePropertyName("record");
        WritePost(w, embedBlobsJson);
        w.WriteEndObject();
    });

    /// <summary>Body of com.atproto.repo.applyWrites with <paramref name="rkeys"/>.Length #create operations.</summary>
    public static byte[] ApplyWritesBody(string did, string[] rkeys) => XrpcClient.Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("repo", did);
        w.WriteStartArray("writes");
        foreach (string rkey in rkeys)
        {
            w.WriteStartObject();
            w.WriteString("$type", "com.atproto.repo.applyWrites#create");
            w.WriteString("collection", Collection);
            w.WriteString("rkey", rkey);
            w.WritePropertyName("value");
            WritePost(w);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });
}
