using System.Collections.Concurrent;
using System.Net;

namespace Alteran.Net.Transport;

/// <summary>
/// Live connections: the global and per-IP caps, the set the heartbeat walks, and the count shutdown waits on.
/// </summary>
public sealed class ConnectionManager
{
    private readonly ConcurrentDictionary<long, ITrackedConnection> _connections = new();
    private readonly Dictionary<IPAddress, int> _perIp = new();
    private readonly Dictionary<IPAddress, int> _upgradedPerIp = new();
    private readonly int _maxConnections;
    private readonly int _maxPerIp;
    private readonly bool _exemptLoopback;
    private int _count;
    private TaskCompletionSource? _drained;

    /// <summary>
    /// Creates a manager with the given caps. With <paramref name="exemptLoopback"/>, loopback addresses skip the
    /// per-IP caps (behind a local reverse proxy every client arrives from 127.0.0.1); the global cap still holds.
    /// </summary>
    public ConnectionManager(int maxConnections, int maxPerIp, bool exemptLoopback = false)
    {
        _maxConnections = maxConnections;
        _maxPerIp = maxPerIp;
        _exemptLoopback = exemptLoopback;
    }

    /// <summary>Connections currently open.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Reserves a slot for <paramref name="address"/>; false when a cap is reached.</summary>
    public bool TryReserve(IPAddress address)
    {
        lock (_perIp)
        {
            if (_count >= _maxConnections)
            {
                return false;
            }

            _perIp.TryGetValue(address, out int current);
            if (current >= _maxPerIp && !IsExempt(address))
            {
                return false;
            }

            _perIp[address] = current + 1;
            _count++;
            return true;
        }
    }

    /// <summary>Reserves one of <paramref name="maxPerIp"/> upgraded (WebSocket) slots for <paramref name="address"/>.</summary>
    public bool TryReserveUpgraded(IPAddress address, int maxPerIp)
    {
        lock (_perIp)
        {
            _upgradedPerIp.TryGetValue(address, out int current);
            if (current >= maxPerIp && !IsExempt(address))
            {
                return false;
            }

            _upgradedPerIp[address] = current + 1;
            return true;
        }
    }

    private bool IsExempt(IPAddress address) => _exemptLoopback && IPAddress.IsLoopback(address);

    /// <summary>Frees an upgraded slot.</summary>
    public void ReleaseUpgraded(IPAddress address)
    {
        lock (_perIp)
        {
            if (_upgradedPerIp.TryGetValue(address, out int current))
            {
                if (current <= 1)
                {
                    _upgradedPerIp.Remove(address);
                }
                else
                {
                    _upgradedPerIp[address] = current - 1;
                }
            }
        }
    }

    /// <summary>Starts tracking a connection whose slot was reserved.</summary>
    public void Add(ITrackedConnection connection) => _connections[connection.Id] = connection;

    /// <summary>Stops tracking a connection and frees its slot (idempotent).</summary>
    public void Remove(ITrackedConnection connection)
    {
        if (!_connections.TryRemove(connection.Id, out _))
        {
            return;
        }

        Release(connection.RemoteAddress);
    }

    /// <summary>Frees a reserved slot.</summary>
    public void Release(IPAddress address)
    {
        TaskCompletionSource? drained = null;
        lock (_perIp)
        {
            if (_perIp.TryGetValue(address, out int current))
            {
                if (current <= 1)
                {
                    _perIp.Remove(address);
                }
                else
                {
                    _perIp[address] = current - 1;
                }
            }

            _count--;
            if (_count == 0)
            {
                drained = _drained;
            }
        }

        drained?.TrySetResult();
    }

    /// <summary>Calls <see cref="ITrackedConnection.OnHeartbeat"/> on every connection.</summary>
    public void OnHeartbeat(long nowMs)
    {
        foreach (KeyValuePair<long, ITrackedConnection> entry in _connections)
        {
            entry.Value.OnHeartbeat(nowMs);
        }
    }

    /// <summary>Asks every connection to close gracefully and returns a task that completes when none is left.</summary>
    public Task BeginShutdown()
    {
        Task drained;
        lock (_perIp)
        {
            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_count == 0)
            {
                _drained.TrySetResult();
            }

            drained = _drained.Task;
        }

        foreach (KeyValuePair<long, ITrackedConnection> entry in _connections)
        {
            entry.Value.BeginShutdown();
        }

        return drained;
    }

    /// <summary>Aborts every connection (after the drain deadline).</summary>
    public void AbortAll()
    {
        foreach (KeyValuePair<long, ITrackedConnection> entry in _connections)
        {
            entry.Value.Abort();
        }
    }
}
