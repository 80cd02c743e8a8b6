namespace Alteran.Net.Transport;

/// <summary>
/// One background thread that wakes every interval and runs the given callback (deadline checks for all
/// connections, the cached Date header). One thread for all timeouts instead of a timer per connection.
/// </summary>
public sealed class Heartbeat : IDisposable
{
    private readonly Action<long> _onTick;
    private readonly TimeSpan _interval;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new(false);
    private readonly Action<Exception>? _onError;

    /// <summary>Creates and starts the heartbeat.</summary>
    public Heartbeat(TimeSpan interval, Action<long> onTick, Action<Exception>? onError = null)
    {
        _interval = interval;
        _onTick = onTick;
        _onError = onError;
        _thread = new Thread(Run) { IsBackground = true, Name = "alteran heartbeat" };
        _thread.Start();
    }

    private void Run()
    {
        while (!_stop.Wait(_interval))
        {
            try
            {
                _onTick(Environment.TickCount64);
            }
            catch (Exception ex)
            {
                // A bug in one check must not stop all timeouts.
                _onError?.Invoke(ex);
            }
        }
    }

    /// <summary>Stops the thread.</summary>
    public void Dispose()
    {
        _stop.Set();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        _stop.Dispose();
    }
}
