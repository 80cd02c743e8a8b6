using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Alteran.Net.Tests.Pds;

/// <summary>The real <c>alteran</c> entry point as a child process: zero-config first start, restart, <c>init</c>.</summary>
public sealed partial class ProcessStartupTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Process Start(string dataDirectory, int port, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "alteran.dll"));
        foreach (string a in args)
            info.ArgumentList.Add(a);
        info.Environment["ALTERAN_DATA"] = dataDirectory;
        info.Environment["ALTERAN_LISTEN"] = $"127.0.0.1:{port}";
        foreach (string key in new[] { "PDS_ENV", "PDS_DID", "PDS_HANDLE", "PDS_HOSTNAME", "USER_PASSWORD", "ACCESS_TOKEN", "REFRESH_TOKEN", "REPO_SIGNING_KEY" })
            info.Environment.Remove(key);
        return Process.Start(info)!;
    }

    private static async Task<int> LoginAsync(int port, string password)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        for (int i = 0; i < 150; i++)
        {
            try
            {
                using var content = new StringContent("{\"identifier\":\"alice.test\",\"password\":\"" + password + "\"}", Encoding.UTF8, "application/json");
                using HttpResponseMessage r = await http.PostAsync($"http://127.0.0.1:{port}/xrpc/com.atproto.server.createSession", content);
                return (int)r.StatusCode;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }
        return -1;
    }

    private static async Task<string> StopAsync(Process process)
    {
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        process.Kill(entireProcessTree: false); // SIGKILL: the store must also survive an unclean stop
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(cts.Token);
        return await stdout;
    }

    [Fact]
    public async Task ZeroConfigStart_PrintsPasswordOnce_RestartKeepsLogin()
    {
        string dir = Directory.CreateTempSubdirectory("alteran-pds-process-").FullName;
        try
        {
            string data = Path.Combine(dir, "data");
            int port = FreePort();
            string password;
            using (Process first = Start(data, port))
            {
                // The account line is written before the server listens.
                string? line = null;
                for (int i = 0; i < 50 && line is null; i++)
                {
                    line = await first.StandardOutput.ReadLineAsync();
                    if (line is not null && !line.StartsWith("alteran: created account", StringComparison.Ordinal))
                        line = null;
                }
                Assert.NotNull(line);
                password = PasswordPattern().Match(line).Groups[1].Value;
                Assert.NotEmpty(password);
                Assert.Equal(200, await LoginAsync(port, password));
                Assert.Equal(401, await LoginAsync(port, password + "x"));
                await StopAsync(first);
            }

            using (Process second = Start(data, port))
            {
                Assert.Equal(200, await LoginAsync(port, password));
                string output = await StopAsync(second);
                Assert.DoesNotContain(password, output);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Init_PrintsEnvironmentLines()
    {
        string dir = Directory.CreateTempSubdirectory("alteran-pds-init-").FullName;
        try
        {
            using Process p = Start(Path.Combine(dir, "data"), 1, "init");
            string output = await p.StandardOutput.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await p.WaitForExitAsync(cts.Token);
            Assert.Equal(0, p.ExitCode);
            foreach (string key in new[] { "PDS_DID=did:web:localhost%3A2583", "PDS_HANDLE=alice.test", "USER_PASSWORD=", "ACCESS_TOKEN=", "REFRESH_TOKEN=", "REPO_SIGNING_KEY=" })
                Assert.Contains(key, output);
            Assert.False(Directory.Exists(Path.Combine(dir, "data"))); // init stores nothing
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [GeneratedRegex("password: (\\S+)")]
    private static partial Regex PasswordPattern();
}
