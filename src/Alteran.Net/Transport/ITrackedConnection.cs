using System.Net;

namespace Alteran.Net.Transport;

/// <summary>What <see cref="ConnectionManager"/> needs from a connection.</summary>
public interface ITrackedConnection
{
    /// <summary>Process-unique id.</summary>
    long Id { get; }

    /// <summary>Remote address (for the per-IP cap).</summary>
    IPAddress RemoteAddress { get; }

    /// <summary>Checks deadlines; called from the heartbeat thread.</summary>
    void OnHeartbeat(long nowMs);

    /// <summary>Starts a graceful close.</summary>
    void BeginShutdown();

    /// <summary>Closes at once.</summary>
    void Abort();
}
