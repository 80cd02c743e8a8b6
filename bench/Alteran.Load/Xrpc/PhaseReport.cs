using System.Globalization;
using System.Text.Json;

namespace Alteran.Load.Xrpc;

/// <summary>Figures of one phase: throughput, latency percentiles, errors, server CPU per op, peak RSS, extras.</summary>
internal sealed class PhaseReport(string name)
{
    public string Name { get; } = name;
    public long Ops { get; set; }
    public long Errors { get; set; }
    public double Seconds { get; set; }
    public double P50Ms { get; set; } = double.NaN;
    public double P99Ms { get; set; } = double.NaN;
    public double P999Ms { get; set; } = double.NaN;
    public double ServerCpuSeconds { get; set; } = double.NaN;
    public long PeakRssBytes { get; set; }
    public double LoadAverage { get; set; }
    public string? FirstError { get; set; }
    public string? Skipped { get; set; }

    /// <summary>Phase-specific figures (records/s, bytes, MB/s, delivered share...), in order.</summary>
    public List<KeyValuePair<string, double>> Extra { get; } = [];

    public double OpsPerSecond => Seconds > 0 ? Ops / Seconds : 0;

    public double CpuMicrosPerOp => Ops > 0 && !double.IsNaN(ServerCpuSeconds) ? ServerCpuSeconds * 1e6 / Ops : double.NaN;

    public PhaseReport From(LoopResult r)
    {
        Ops = r.Ops;
        Errors = r.Errors;
        Seconds = r.Seconds;
        P50Ms = Latencies.PercentileMs(r.LatencyMicros, 0.50);
        P99Ms = Latencies.PercentileMs(r.LatencyMicros, 0.99);
        P999Ms = Latencies.PercentileMs(r.LatencyMicros, 0.999);
        FirstError ??= r.FirstError;
        return this;
    }

    public PhaseReport Add(string key, double value)
    {
        Extra.Add(new(key, value));
        return this;
    }

    public static void WriteTable(TextWriter o, IReadOnlyList<PhaseReport> reports)
    {
        o.WriteLine($"{"phase",-16} {"ops",8} {"ops/s",9} {"p50 ms",8} {"p99 ms",8} {"p999 ms",8} {"errors",6} {"cpu us/op",10} {"peak RSS MiB",12} {"load1",5}");
        foreach (PhaseReport r in reports)
        {
            if (r.Skipped is not null)
            {
                o.WriteLine($"{r.Name,-16} skipped: {r.Skipped}");
                continue;
            }

            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Name,-16} {r.Ops,8} {r.OpsPerSecond,9:F1} {r.P50Ms,8:F2} {r.P99Ms,8:F2} {r.P999Ms,8:F2} {r.Errors,6} {r.CpuMicrosPerOp,10:F0} {r.PeakRssBytes / 1048576.0,12:F1} {r.LoadAverage,5:F1}"));
            if (r.Extra.Count > 0)
            {
                o.WriteLine("                 " + string.Join(", ", r.Extra.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key}={e.Value:0.###}"))));
            }

            if (r.FirstError is not null)
            {
                o.WriteLine("                 first error: " + r.FirstError);
            }
        }
    }

    public static void WriteJson(string path, string label, string target, IReadOnlyList<PhaseReport> reports)
    {
        using FileStream f = File.Create(path);
        using var w = new Utf8JsonWriter(f, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("label", label);
        w.WriteString("target", target);
        w.WriteString("date", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        w.WriteNumber("processors", Environment.ProcessorCount);
        w.WriteStartArray("phases");
        foreach (PhaseReport r in reports)
        {
            w.WriteStartObject();
            w.WriteString("name", r.Name);
            if (r.Skipped is not null)
            {
                w.WriteString("skipped", r.Skipped);
                w.WriteEndObject();
                continue;
            }

            w.WriteNumber("ops", r.Ops);
            w.WriteNumber("errors", r.Errors);
            Num(w, "seconds", r.Seconds);
            Num(w, "opsPerSecond", r.OpsPerSecond);
            Num(w, "p50Ms", r.P50Ms);
            Num(w, "p99Ms", r.P99Ms);
            Num(w, "p999Ms", r.P999Ms);
            Num(w, "serverCpuSeconds", r.ServerCpuSeconds);
            Num(w, "serverCpuMicrosPerOp", r.CpuMicrosPerOp);
            w.WriteNumber("serverPeakRssBytes", r.PeakRssBytes);
            Num(w, "loadAverage1", r.LoadAverage);
            if (r.FirstError is not null)
            {
                w.WriteString("firstError", r.FirstError);
            }

            w.WriteStartObject("extra");
            foreach (KeyValuePair<string, double> e in r.Extra)
            {
                Num(w, e.Key, e.Value);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Num(Utf8JsonWriter w, string key, double v)
    {
        if (double.IsFinite(v))
        {
            w.WriteNumber(key, Math.Round(v, 3));
        }
        else
        {
            w.WriteNull(key);
        }
    }
}
