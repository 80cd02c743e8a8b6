using System.Globalization;

namespace Alteran.Load.Xrpc;

/// <summary>Command-line options of the XRPC mode (<c>--target</c>). Every phase is bounded in time and count.</summary>
internal sealed class XrpcOptions
{
    public const string DefaultPhases = "login,fill,getRepo,create1,create16,create64,getRecord,listRecords,uploadBlob,getBlob,firehose100";

    public required string Target { get; init; }
    public required string Handle { get; init; }
    public required string Password { get; init; }
    public required List<string> Phases { get; init; }
    public int PhaseSeconds { get; init; } = 10;
    public long MaxOps { get; init; } = 100_000;
    public int MaxTotalSeconds { get; init; } = 900;
    public int FillRecords { get; init; } = 2_000;
    public int FillSeconds { get; init; } = 240;
    public int ServerPid { get; init; }
    public string? Out { get; init; }
    public string Label { get; init; } = "";
    public int FirehoseWriters { get; init; } = 4;
    public int FirehoseProbes { get; init; } = 4;
    public int FanoutRate { get; init; } = 50;
    public int FanoutPerSource { get; init; } = 8;
    public int FanoutInFlight { get; init; } = 64;

    public static XrpcOptions Parse(Dictionary<string, string> o)
    {
        string Need(string k) => o.TryGetValue(k, out string? v) ? v : throw new ArgumentException($"--{k} is required");
        int Int(string k, int d) => o.TryGetValue(k, out string? v) ? int.Parse(v, CultureInfo.InvariantCulture) : d;
        var phases = new List<string>();
        foreach (string p in o.GetValueOrDefault("phases", DefaultPhases).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (p == "listRecords")
            {
                phases.Add("listRecords1");
                phases.Add("listRecords16");
            }
            else if (p != "none")
            {
                phases.Add(p);
            }
        }

        return new XrpcOptions
        {
            Target = Need("target"),
            Handle = Need("handle"),
            Password = Need("password"),
            Phases = phases,
            PhaseSeconds = Math.Clamp(Int("phase-seconds", 10), 1, 600),
            MaxOps = Math.Clamp(o.TryGetValue("max-ops", out string? m) ? long.Parse(m, CultureInfo.InvariantCulture) : 100_000, 1, 10_000_000),
            MaxTotalSeconds = Math.Clamp(Int("max-total-seconds", 900), 5, 7200),
            FillRecords = Math.Clamp(Int("fill-records", 2_000), 0, 1_000_000),
            FillSeconds = Math.Clamp(Int("fill-seconds", 240), 1, 3600),
            ServerPid = Int("server-pid", 0),
            Out = o.GetValueOrDefault("out"),
            Label = o.GetValueOrDefault("label", ""),
            FirehoseWriters = Math.Clamp(Int("firehose-writers", 4), 1, 64),
            FirehoseProbes = Math.Clamp(Int("firehose-probes", 4), 1, 64),
            FanoutRate = Math.Clamp(Int("fanout-rate", 50), 1, 100_000),
            FanoutPerSource = Math.Clamp(Int("fanout-per-source", 8), 1, 10_000),
            FanoutInFlight = Math.Clamp(Int("fanout-in-flight", 64), 1, 1024),
        };
    }

    public const string Usage =
        "usage: --target http://127.0.0.1:PORT --handle H --password P [--phases " + DefaultPhases + "]\n" +
        "       [--phase-seconds 10] [--max-ops 100000] [--max-total-seconds 900] [--fill-records 2000] [--fill-seconds 240]\n" +
        "       [--server-pid PID] [--out file.json] [--label NAME] [--firehose-writers 4] [--firehose-probes 4]\n" +
        "       [--fanout-rate 50] [--fanout-per-source 8] [--fanout-in-flight 64]\n" +
        "phases: login fill create1 create16 create64 getRecord listRecords(=listRecords1,listRecords16) getRepo uploadBlob getBlob firehoseN fanoutN replayN";
}
