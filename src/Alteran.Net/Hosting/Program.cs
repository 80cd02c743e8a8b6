using Alteran.Net.Http;
using Alteran.Net.Pds;
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
/// <c>alteran init</c> (alias <c>setup-secrets</c>) prints freshly generated secrets as environment lines and exits.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] is "init" or "setup-secrets")
        {
            return await InitAsync(args[1..]).ConfigureAwait(false);
        }

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

        PdsRuntime pds;
        try
        {
            pds = await PdsRuntime.OpenAsync(options, console: Console.Out).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or InvalidOperationException or IOException
            or UnauthorizedAccessException or ArgumentException or System.Security.Cryptography.CryptographicException
            or Alteran.Storage.StorageException)
        {
            await Console.Error.WriteLineAsync($"alteran: cannot start: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        using PdsRuntime pdsLifetime = pds; // disposed (store closed) after the host has stopped and drained
        var readiness = new List<IReadinessCheck>();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<IHostedService>(sp =>
        {
            ILoggerFactory loggerFactory = sp.GetRequiredService<ILoggerFactory>();
            XrpcRouter router = ServerComposition.RegisterRoutes(options, readiness, pds);
            HttpServer server = ServerComposition.CreateServer(options, router, loggerFactory);
            Log.Starting(loggerFactory.CreateLogger("Alteran.Net"), options.EnvironmentName, options.DataDirectory);
            return new AlteranServerService(server);
        });
        // identity branch: requestCrawl to PDS_RELAY_HOSTS in the background (after the server has started listening).
        builder.Services.AddSingleton<IHostedService>(sp => new Relay.RequestCrawlService(options, pds.Hostname,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Alteran.Net.Relay")));

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

    /// <summary>Prints new secrets (for production configuration) as <c>KEY=value</c> lines; nothing is stored.</summary>
    private static async Task<int> InitAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        string hostname = configuration["PDS_HOSTNAME"] is { Length: > 0 } h ? h : PdsSecrets.DefaultHostname;
        string did = configuration["PDS_DID"] is { Length: > 0 } d ? d : PdsSecrets.DidWebFor(hostname);
        string handle = configuration["PDS_HANDLE"] is { Length: > 0 } hd ? hd : PdsSecrets.DefaultHandleFor(hostname);
        PdsSecrets secrets = PdsSecrets.Generate(did, handle);
        await Console.Out.WriteAsync(secrets.ToEnvironmentLines(hostname)).ConfigureAwait(false);
        return 0;
    }
}
