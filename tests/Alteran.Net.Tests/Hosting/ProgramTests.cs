using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Alteran.Net.Tests.Hosting;

/// <summary>Runs the real <c>alteran</c> entry point as a child process (what the README's run command starts).</summary>
public class ProgramTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Process Start(Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet", Path.Combine(AppContext.BaseDirectory, "alteran.dll"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach ((string key, string value) in environment)
        {
            info.Environment[key] = value;
        }

        return Process.Start(info)!;
    }

    [Fact]
    public async Task StartsFromEnvironmentAndConfigFileServesHealthAndStopsOnSigterm()
    {
        string dir = Directory.CreateTempSubdirectory("alteran-host-").FullName;
        try
        {
            int port = FreePort();
            string config = Path.Combine(dir, "alteran.json");
            await File.WriteAllTextAsync(config, "{\"PDS_HOSTNAME\":\"pds.example.com\",\"ALTERAN_LISTEN\":\"127.0.0.1:1\"}");
            using Process process = Start(new()
            {
                ["ALTERAN_CONFIG"] = config,
                ["ALTERAN_LISTEN"] = $"127.0.0.1:{port}", // environment wins over the file
                ["ALTERAN_DATA"] = Path.Combine(dir, "data"),
            });
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            string? body = null;
            for (int i = 0; i < 100 && body is null; i++)
            {
                try
                {
                    body = await http.GetStringAsync($"http://127.0.0.1:{port}/xrpc/_health");
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100);
                }
            }

            Assert.NotNull(body);
            Assert.Contains("\"version\"", body);
            Assert.True(Directory.Exists(Path.Combine(dir, "data")));

            using (Process kill = Process.Start("kill", $"-TERM {process.Id}"))
            {
                await kill.WaitForExitAsync();
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(cts.Token);
            Assert.Equal(0, process.ExitCode);
            string log = await stdout;
            Assert.Contains("\"EventId\":100", log);   // Listening, as a JSON log line
            Assert.Contains("\"EventId\":105", log);   // Stopping (drain)
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task InvalidConfigurationExitsWithCode2AndSaysWhy()
    {
        using Process process = Start(new() { ["PDS_ENV"] = "production", ["PDS_DID"] = "not-a-did", ["PDS_MAX_JSON_BYTES"] = "0" });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        string stderr = await process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("PDS_DID is not a valid DID", stderr);
        Assert.Contains("REPO_SIGNING_KEY is required in production", stderr);
        Assert.Contains("PDS_MAX_JSON_BYTES must be a positive integer", stderr);
    }
}
