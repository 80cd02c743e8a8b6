using Alteran.Net.Identity;
using Alteran.Net.Identity.Dns;
using BenchmarkDotNet.Attributes;

namespace Alteran.Benchmarks.Net.Identity;

/// <summary>
/// Handle resolution's local work: writing the TXT query, parsing a typical compressed answer (three TXT records,
/// one <c>did=</c>), picking the DID, and a cache hit. Network time dwarfs these; they bound the per-lookup CPU.
/// </summary>
[MemoryDiagnoser]
public class DnsMessageBenchmarks
{
    private const ushort Id = 0x1234;
    private const string Name = "_atproto.alice.example.com";
    private readonly byte[] _query = new byte[DnsMessage.MaxQueryLength];
    private byte[] _response = [];
    private HandleCache _cache = null!;

    [GlobalSetup]
    public void Setup()
    {
        var m = new List<byte>();
        void U16(int v) { m.Add((byte)(v >> 8)); m.Add((byte)v); }
        void Txt(string text)
        {
            U16(0xC00C); // pointer to the question name
            U16(16); U16(1); U16(0); U16(300);
            U16(text.Length + 1);
            m.Add((byte)text.Length);
            m.AddRange(System.Text.Encoding.ASCII.GetBytes(text));
        }
        U16(Id); U16(0x8180); U16(1); U16(3); U16(0); U16(0);
        foreach (string label in Name.Split('.'))
        {
            m.Add((byte)label.Length);
            m.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }
        m.Add(0);
        U16(16); U16(1);
        Txt("v=spf1 include:_spf.example.com -all");
        Txt("did=did:plc:ewvi7nxzyoun6zhxrhs64oiz");
        Txt("google-site-verification=abcdefghijklmnopqrstuvwxyz0123456789");
        _response = m.ToArray();
        _cache = new HandleCache(4096, TimeProvider.System);
        _cache.Set("alice.example.com", "did:plc:ewvi7nxzyoun6zhxrhs64oiz", TimeSpan.FromHours(1));
    }

    [Benchmark]
    public int WriteTxtQuery() => DnsMessage.WriteTxtQuery(_query, Id, Name);

    [Benchmark]
    public string? ParseAnswerAndPickDid() =>
        HandleResolver.ParseDnsRecords(DnsMessage.ParseTxtResponse(_response, Id, Name).Records);

    [Benchmark]
    public string? CacheHit()
    {
        _cache.TryGet("alice.example.com", out string? did);
        return did;
    }
}
