namespace Alteran.Load;

/// <summary>
/// One step of a load run (warm-up, keep-alive load, idle connections...). Phases run in order against the same
/// target and write their own results. Later XRPC workloads add phases here.
/// </summary>
internal interface IPhase
{
    string Name { get; }

    Task<PhaseResult> RunAsync(LoadTarget target, int serverPid, CancellationToken cancellationToken);
}

/// <summary>Named figures a phase reports, in order.</summary>
internal sealed class PhaseResult(string name)
{
    public string Name { get; } = name;

    public List<(string Key, string Value)> Figures { get; } = [];

    public PhaseResult Add(string key, string value)
    {
        Figures.Add((key, value));
        return this;
    }
}
