using System.Net.Sockets;
using Alteran.Load.Xrpc.Fanout;

namespace Alteran.Load;

/// <summary>
/// Server RSS growth per idle keep-alive connection: opens connections up to each step in <c>steps</c> (e.g. 1,000 then
/// 10,000; 100 connects in flight), sends one request on each (so each has been through a full request and holds
/// whatever a served keep-alive connection holds), waits <c>settle</c>, and reads the server's RSS; bytes per
/// connection = (RSS at the step − RSS before any) ÷ connections. Sockets bind loopback source addresses 127.0.x.y,
/// <c>perSource</c> per address, so per-IP connection caps are not hit. Connections are closed at the end.
/// The server's keep-alive timeout must exceed the time to open them all (ours: ALTERAN_KEEPALIVE_TIMEOUT_SECONDS, 60 s).
/// </summary>
internal sealed class IdleConnectionsPhase(int[] steps, TimeSpan settle, int perSource = 32) : IPhase
{
    public IdleConnectionsPhase(int connections, TimeSpan settle)
        : this([connections], settle)
    {
    }

    public string Name => "idle";

    public async Task<PhaseResult> RunAsync(LoadTarget target, int serverPid, CancellationToken cancellationToken)
    {
        await Task.Delay(settle, cancellationToken);
        ServerSample? before = ServerSample.Read(serverPid);
        var clients = new List<ClientConnection>(steps[^1]);
        int errors = 0, attempted = 0;
        var result = new PhaseResult(Name);
        if (before is { } b0)
        {
            result.Add("rss before MiB", (b0.RssBytes / 1048576.0).ToString("F1"));
        }

        try
        {
            foreach (int step in steps)
            {
                while (attempted < step)
                {
                    int n = Math.Min(100, step - attempted);
                    var batch = new Task<(ClientConnection?, bool)>[n];
                    for (int j = 0; j < n; j++)
                    {
                        batch[j] = OpenAsync(target, SourceAddresses.For(attempted + j, perSource), cancellationToken);
                    }

                    attempted += n; // a failed connect counts toward the step too, so the loop is bounded
                    foreach ((ClientConnection? c, bool ok) in await Task.WhenAll(batch))
                    {
                        if (c is not null)
                        {
                            clients.Add(c);
                        }

                        if (!ok)
                        {
                            errors++;
                        }
                    }
                }

                await Task.Delay(settle, cancellationToken);
                ServerSample? after = ServerSample.Read(serverPid);
                int open = 0;
                foreach (ClientConnection c in clients)
                {
                    open += c.IsOpen ? 1 : 0;
                }

                // A server whose keep-alive timeout is shorter than the time taken closes some: they are not counted.
                result.Add($"open@{step}", open.ToString()).Add($"errors@{step}", errors.ToString());
                if (before is { } b && after is { } a)
                {
                    result.Add($"rss@{step} MiB", (a.RssBytes / 1048576.0).ToString("F1"))
                        .Add($"bytes/idle conn@{step}", open == 0 ? "n/a" : ((a.RssBytes - b.RssBytes) / (double)open).ToString("F0"));
                }
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

    private static async Task<(ClientConnection?, bool)> OpenAsync(LoadTarget target, System.Net.IPAddress source, CancellationToken ct)
    {
        try
        {
            ClientConnection c = await ClientConnection.ConnectAsync(target, ct, source);
            return (c, await c.SendAsync(target.Request, ct) == 200);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return (null, false);
        }
    }
}
