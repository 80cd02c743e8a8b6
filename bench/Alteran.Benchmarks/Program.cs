using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Alteran.Benchmarks;

/// <summary>
/// Runs the BenchmarkDotNet suite: <c>dotnet run -c Release --project bench/Alteran.Benchmarks -- --filter '*'</c>.
/// With <c>--budgets bench/allocation-budgets.json</c> it also checks each benchmark's allocated bytes per
/// operation against the checked-in budget and exits 1 when one is exceeded (for a nightly job or by hand,
/// never as a timed unit test).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string? budgetsPath = null, recordPath = null;
        var rest = new List<string>(args.Length);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--budgets" && i + 1 < args.Length)
                budgetsPath = args[++i];
            else if (args[i] == "--record-budgets" && i + 1 < args.Length)
                recordPath = args[++i];
            else
                rest.Add(args[i]);
        }

        Summary[] summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest.ToArray()).ToArray();
        if (recordPath is not null)
            AllocationBudgets.Record(summaries, recordPath);
        if (budgetsPath is null)
            return 0;
        var budgets = AllocationBudgets.Load(budgetsPath);
        return budgets.Check(summaries, Console.Out) ? 0 : 1;
    }
}
