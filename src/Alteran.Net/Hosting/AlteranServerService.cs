using Alteran.Net.Http;
using Microsoft.Extensions.Hosting;

namespace Alteran.Net.Hosting;

/// <summary>Runs the <see cref="HttpServer"/> inside the generic host: start listening, drain on stop.</summary>
internal sealed class AlteranServerService(HttpServer server) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        server.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => server.StopAsync(cancellationToken);
}
