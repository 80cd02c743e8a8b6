namespace Alteran.Net.Xrpc;

/// <summary>A dependency <c>/ready</c> reports on (storage registers one). Must be quick and must not throw.</summary>
public interface IReadinessCheck
{
    /// <summary>Short name shown when failing.</summary>
    string Name { get; }

    /// <summary>True when the dependency can serve requests.</summary>
    bool IsReady();
}
