using System.Net;
using Alteran.Net.Xrpc;

namespace Alteran.Net.Firehose;

/// <summary>
/// Caps concurrent stream subscribers (<c>subscribeRepos</c> and Jetstream's <c>/subscribe</c> share one instance):
/// a total and a per-address count. <see cref="Acquire"/> runs before the WebSocket upgrade, so a refusal is an
/// ordinary XRPC error response (503 <c>TooManySubscribers</c>, or 429 <c>RateLimitExceeded</c> per address).
/// </summary>
public sealed class SubscriberLimiter
{
    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private int _total;

    /// <summary>
    /// Creates a limiter; both caps must be positive. With <paramref name="exemptLoopback"/> loopback clients skip the
    /// per-address cap (as the HTTP layer's default: behind a local reverse proxy everything comes from 127.0.0.1).
    /// </summary>
    public SubscriberLimiter(int maxSubscribers, int maxPerAddress, bool exemptLoopback = true)
    {
        ExemptLoopback = exemptLoopback;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSubscribers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPerAddress);
        MaxSubscribers = maxSubscribers;
        MaxPerAddress = maxPerAddress;
    }

    /// <summary>Most concurrent subscribers in all.</summary>
    public int MaxSubscribers { get; }

    /// <summary>Most concurrent subscribers from one remote address.</summary>
    public int MaxPerAddress { get; }

    /// <summary>Whether loopback addresses skip the per-address cap.</summary>
    public bool ExemptLoopback { get; }

    /// <summary>Current subscribers.</summary>
    public int Count => Volatile.Read(ref _total);

    /// <summary>Takes a slot for <paramref name="address"/> or throws the refusal; release it with <see cref="Release"/>.</summary>
    /// <exception cref="XrpcException">503 when the total cap is reached, 429 when the address's cap is.</exception>
    public void Acquire(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_lock)
        {
            if (_total >= MaxSubscribers)
                throw XrpcException.Unavailable("TooManySubscribers", "The subscriber limit of this server is reached");
            _perAddress.TryGetValue(address, out int count);
            if (count >= MaxPerAddress && !(ExemptLoopback && IPAddress.IsLoopback(address)))
                throw XrpcException.RateLimitExceeded($"Too many subscriptions from this address (max {MaxPerAddress})");
            _perAddress[address] = count + 1;
            Volatile.Write(ref _total, _total + 1);
        }
    }

    /// <summary>Returns the slot taken by <see cref="Acquire"/>.</summary>
    public void Release(IPAddress address)
    {
        lock (_lock)
        {
            if (_perAddress.TryGetValue(address, out int count))
            {
                if (count <= 1)
                    _perAddress.Remove(address);
                else
                    _perAddress[address] = count - 1;
                Volatile.Write(ref _total, _total - 1);
            }
        }
    }
}
