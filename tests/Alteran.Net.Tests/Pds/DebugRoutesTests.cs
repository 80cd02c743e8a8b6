using System.Diagnostics;
using System.Text.Json;

namespace Alteran.Net.Tests.Pds;

/// <summary><c>/debug/stats</c>: absent by default, account auth when enabled, refused in production.</summary>
public sealed class DebugRoutesTests
{
    [Fact]
    public async Task AbsentByDefault()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync();
        (string access, _) = await host.LoginOkAsync();
        Reply r = await host.GetAsync("debug/stats", access);
        Assert.Equal(404, r.Status);
        Assert.Equal("NotFound", r.Error);
    }

    [Fact]
    public async Task Enabled_RequiresAuth_AndReportsLiveFigures()
    {
        await using PdsTestHost host = await PdsTestHost.StartAsync(o => o.DebugRoutes = true);
        Assert.Equal(401, (await host.GetAsync("debug/stats")).Status);
        Reply forged = await host.GetAsync("debug/stats", "not.a.token");
        Assert.Equal(400, forged.Status); // same as every authenticated XRPC route: InvalidToken
        Assert.Equal("InvalidToken", forged.Error);

        (string access, _) = await host.LoginOkAsync();
        Reply r = await host.GetAsync("debug/stats", access);
        Assert.Equal(200, r.Status);
        Assert.Equal("application/json", r.MediaType);
        JsonElement store = r.Json.GetProperty("store");
        Assert.Equal(host.Pds.Store.LastSeq, store.GetProperty("lastSeq").GetInt64());
        Assert.True(store.GetProperty("lastSeq").GetInt64() >= 4); // #identity #account #commit #sync at creation
        Assert.True(store.GetProperty("eventLogEntries").GetInt64() >= 4);
        Assert.Equal(1, store.GetProperty("accounts").GetInt32());
        JsonElement repo = r.Json.GetProperty("repo");
        Assert.Equal(host.Pds.Did, repo.GetProperty("did").GetString());
        Assert.Equal(host.Pds.Repo.GetLatestCommit(host.Pds.AccountId)!.Value.Rev, repo.GetProperty("rev").GetString());
        JsonElement process = r.Json.GetProperty("process");
        Assert.True(process.GetProperty("rssBytes").GetInt64() > 0);
        Assert.True(process.GetProperty("managedHeapBytes").GetInt64() > 0);

        // A write moves lastSeq.
        long before = store.GetProperty("lastSeq").GetInt64();
        Reply write = await host.PostAsync("xrpc/com.atproto.repo.createRecord",
            "{\"repo\":\"" + host.Pds.Did + "\",\"collection\":\"app.bsky.feed.post\",\"record\":{\"$type\":\"app.bsky.feed.post\",\"text\":\"hi\",\"createdAt\":\"2026-01-01T00:00:00.000Z\"}}", access);
        Assert.Equal(200, write.Status);
        Reply after = await host.GetAsync("debug/stats", access);
        Assert.True(after.Json.GetProperty("store").GetProperty("lastSeq").GetInt64() > before);
    }

    [Fact]
    public void Options_DebugRoutesRefusedInProduction()
    {
        var errors = new List<string>();
        Alteran.Net.Hosting.AlteranOptionsLoader.Validate(new Alteran.Net.Hosting.AlteranOptions { DebugRoutes = true }, errors);
        Assert.DoesNotContain(errors, e => e.Contains("PDS_DEBUG_ROUTES", StringComparison.Ordinal));
        Alteran.Net.Hosting.AlteranOptionsLoader.Validate(new Alteran.Net.Hosting.AlteranOptions { DebugRoutes = true, IsProduction = true }, errors);
        Assert.Contains(errors, e => e.Contains("PDS_DEBUG_ROUTES is refused in production", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Process_ProductionWithDebugRoutes_ExitsWith2()
    {
        var info = new ProcessStartInfo("dotnet", Path.Combine(AppContext.BaseDirectory, "alteran.dll"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PDS_ENV"] = "production";
        info.Environment["PDS_DEBUG_ROUTES"] = "true";
        info.Environment["ALTERAN_DATA"] = Path.Combine(Path.GetTempPath(), "alteran-debug-never-created-" + Guid.NewGuid().ToString("N"));
        using Process process = Process.Start(info)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string stderr = await process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("PDS_DEBUG_ROUTES is refused in production", stderr);
    }
}
