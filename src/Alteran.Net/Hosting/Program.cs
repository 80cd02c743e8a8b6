using Alteran.Net.Http;
using Alteran.Net.Xrpc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Alteran.Net.Hosting;

/// <summary>
/// Composition root. Configuration: environment variables (Alteran's names, see <see cref="AlteranOptions"/>),
/// optionally a JSON file named by <c>ALTERAN_CONFIG</c> (same keys; environment wins), and <c>--KEY=value</c>
/// arguments. Invalid configuration exits with code 2 and one line per problem on stderr.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args, DisableDefaults = true });
        string? configFile = Environment.GetEnvironmentVariable("ALTERAN_CONFIG");
        if (!string.IsNullOrWhiteSpace(configFile))
        {
            if (!File.Exists(configFile))
            {
                await Console.Error.WriteLineAsync($"alteran: configuration file not found: {configFile}").ConfigureAwait(false);
                return 2;
            }

            builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }

        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddCommandLine(args);

        var errors = new List<string>();
        AlteranOptions options = AlteranOptionsLoader.Load(builder.Configuration, errors);
        AlteranOptionsLoader.Validate(options, errors);
        if (errors.Count > 0)
        {
            await Console.Error.WriteLineAsync("alteran: invalid configuration:").ConfigureAwait(false);
            foreach (string error in errors)
            {
                await Console.Error.WriteLineAsync("  - " + error).ConfigureAwait(false);
            }

            return 2;
        }

        options.DataDirectory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(options.DataDirectory);

        LogLevel level = Enum.TryParse(builder.Configuration["ALTERAN_LOG_LEVEL"], ignoreCase: true, out LogLevel parsed) ? parsed : LogLevel.Information;
        builder.Logging.SetMinimumLevel(level);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Logging.AddJsonConsole(o =>
        {
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds));

        var readiness = new List<IReadinessCheck>();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<IHostedService>(sp =>
        {
            ILoggerFactory loggerFactory = sp.GetRequiredService<ILoggerFactory>();
            XrpcRouter router = ServerComposition.RegisterRoutes(options, readiness);
            HttpServer server = ServerComposition.CreateServer(options, router, loggerFactory);
            Log.Starting(loggerFactory.CreateLogger("Alteran.Net"), options.EnvironmentName, options.DataDirectory);
            return new AlteranServerService(server);
        });

        using IHost host = builder.Build();
        try
        {
            await host.RunAsync().ConfigureAwait(false);
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            await Console.Error.WriteLineAsync($"alteran: cannot listen on {options.Listen}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        return 0;
    }
}
