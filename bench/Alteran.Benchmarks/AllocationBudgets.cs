using System.Text.Json;
using BenchmarkDotNet.Reports;

namespace Alteran.Benchmarks;

/// <summary>
/// The checked-in allocation budgets (bytes allocated per operation, as [MemoryDiagnoser] measures them), keyed
/// by <c>Class.Method</c> or <c>Class.Method [Param=Value]</c>. A key prefixed with <c>WARN-ON-FAIL_</c> only
/// warns (for benchmarks whose allocations depend on timing, e.g. tiered JIT or thread-pool growth).
/// </summary>
internal sealed class AllocationBudgets
{
    private const string WarnPrefix = "WARN-ON-FAIL_";
    private readonly Dictionary<string, (long Bytes, bool WarnOnly)> _budgets = new(StringComparer.Ordinal);

    public static AllocationBudgets Load(string path)
    {
        var budgets = new AllocationBudgets();
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            bool warn = p.Name.StartsWith(WarnPrefix, StringComparison.Ordinal);
            budgets._budgets[warn ? p.Name[WarnPrefix.Length..] : p.Name] = (p.Value.GetInt64(), warn);
        }
        return budgets;
    }

    private static string KeyOf(BenchmarkDotNet.Running.BenchmarkCase bc)
    {
        string name = $"{bc.Descriptor.Type.Name}.{bc.Descriptor.WorkloadMethod.Name}";
        return bc.HasParameters ? $"{name} {bc.Parameters.DisplayInfo}" : name;
    }

    /// <summary>Adds the measured allocations of benchmarks that have no budget yet to <paramref name="path"/>.</summary>
    public static void Record(IEnumerable<Summary> summaries, string path)
    {
        var entries = new SortedDictionary<string, long>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            foreach (var p in doc.RootElement.EnumerateObject())
                entries[p.Name] = p.Value.GetInt64();
        }
        foreach (var summary in summaries)
            foreach (var report in summary.Reports)
            {
                string key = KeyOf(report.BenchmarkCase);
                long? allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
                if (allocated is not null && !entries.ContainsKey(key) && !entries.ContainsKey(WarnPrefix + key))
                    entries[key] = allocated.Value;
            }
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        foreach (var (key, value) in entries)
            writer.WriteNumber(key, value);
        writer.WriteEndObject();
    }

    /// <summary>Prints one line per measured benchmark; false when any non-warning budget is exceeded.</summary>
    public bool Check(IEnumerable<Summary> summaries, TextWriter output)
    {
        bool ok = true;
        int checkedCount = 0, missing = 0;
        foreach (var summary in summaries)
        {
            foreach (var report in summary.Reports)
            {
                var bc = report.BenchmarkCase;
                string name = $"{bc.Descriptor.Type.Name}.{bc.Descriptor.WorkloadMethod.Name}";
                string withParams = KeyOf(bc);
                long? allocated = report.GcStats.GetBytesAllocatedPerOperation(bc);
                if (allocated is null)
                {
                    output.WriteLine($"budget: {withParams}: no allocation figure (is [MemoryDiagnoser] on?)");
                    continue;
                }
                if (!_budgets.TryGetValue(withParams, out var budget) && !_budgets.TryGetValue(name, out budget))
                {
                    missing++;
                    output.WriteLine($"budget: {withParams}: {allocated} B/op, no budget");
                    continue;
                }
                checkedCount++;
                if (allocated > budget.Bytes)
                {
                    output.WriteLine($"budget: {withParams}: {allocated} B/op exceeds {budget.Bytes} B/op{(budget.WarnOnly ? " (warning only)" : "")}");
                    ok &= budget.WarnOnly;
                }
            }
        }
        output.WriteLine($"budget: {checkedCount} checked, {missing} without a budget, {(ok ? "all within budget" : "BUDGET EXCEEDED")}");
        return ok;
    }
}
