using System.Buffers;
using Alteran.Net.Repo;
using Alteran.Protocol.Cbor;
using Alteran.Protocol.Crypto;
using Alteran.Storage;
using Alteran.Storage.Accounts;

namespace Alteran.Benchmarks.Net.Repo;

/// <summary>Shared setup: a temp store with repos, post-like records.</summary>
internal static class RepoBench
{
    public static string NewDirectory() => Path.Combine(Path.GetTempPath(), "alteran-repo-bench", Guid.NewGuid().ToString("N"));

    public static void Delete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    public static async Task<(long Account, PrivateKey Key)> CreateRepoAsync(AlteranStore store, RepoService service, int n)
    {
        string did = "did:plc:bench" + n.ToString("D19").Replace('0', 'a').Replace('1', 'b').Replace('8', 'c').Replace('9', 'd')[..19];
        var key = PrivateKey.Generate(KeyAlgorithm.K256);
        long account = (await store.CreateAccountAsync(new AccountRow { Did = did })).AccountId;
        await service.CreateRepoAsync(account, did, key);
        return (account, key);
    }

    /// <summary>A ~200-byte post record.</summary>
    public static byte[] Post(long n)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var w = new DagCborWriter(buffer);
        w.WriteMapHeader(4);
        w.WriteText("text"u8);
        w.WriteText("Benchmark post number " + n + ": some text of a typical length for a short social post here.");
        w.WriteText("$type"u8);
        w.WriteText("app.bsky.feed.post"u8);
        w.WriteText("langs"u8);
        w.WriteArrayHeader(1);
        w.WriteText("en"u8);
        w.WriteText("createdAt"u8);
        w.WriteText("2024-05-01T12:34:56.789Z"u8);
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
