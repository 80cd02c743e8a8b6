namespace Alteran.Load;

/// <summary>
/// Opens N connections, sends one request on each (so each has been through a full request), then leaves them
/// idle and measures the server's RSS growth per connection. Connections are closed at the end.
/// </summary>
internal sealed class IdleConnectionsPhase(int connections, TimeSpan settle) : IPhase
{
    public string Name => "idle";

    public async Task<PhaseResult> RunAsync(LoadTarget target, int serverPid, CancellationToken cancellationToken)
    {
        await Task.Delay(settle, cancellationToken);
        ServerSample? before = ServerSample.Read(serverPid);
        var clients = new List<ClientConnection>(connections);
        int errors = 0;
        try
        {
            for (int i = 0; i < connections; i++)
            {
                ClientConnection c = await ClientConnection.ConnectAsync(target, cancellationToken);
                clients.Add(c);
                if (await c.SendAsync(target.Request, cancellationToken) != 200)
                {
                    errors++;
                }
            }

            await Task.Delay(settle, cancellationToken);
            ServerSample? after = ServerSample.Read(serverPid);
            var result = new PhaseResult(Name).Add("connections", connections.ToString()).Add("errors", errors.ToString());
            if (before is { } b && after is { } a)
            {
                result.Add("rss before MiB", (b.RssBytes / 1048576.0).ToString("F1"))
                    .Add("rss after MiB", (a.RssBytes / 1048576.0).ToString("F1"))
                    .Add("bytes/idle conn", ((a.RssBytes - b.RssBytes) / (double)connections).ToString("F0"));
            }

            return result;
        }
        finally
        {
            foreach (ClientConnection c in clients)
            {
                c.Dispose();
            }
        }
    }
}
