using System.Diagnostics;
using System.Text.Json;

namespace Alteran.Load.Xrpc;

/// <summary>
/// Runs the selected XRPC phases in order against one PDS, using only the standard XRPC API and WebSocket, so the
/// same run can target any PDS. Every phase is bounded by --phase-seconds and --max-ops, the run by --max-total-seconds.
/// </summary>
internal sealed class XrpcRun(XrpcOptions options, XrpcClient client, ResourceMonitor monitor)
{
    private readonly List<string> _rkeys = [];
    private readonly List<string> _blobs = []; // blob JSON objects returned by uploadBlob
    private readonly List<string> _blobCids = []; // CIDs of blobs referenced by a record (getBlob serves them)
    private readonly Stopwatch _runClock = Stopwatch.StartNew();

    private TimeSpan PhaseTime => TimeSpan.FromSeconds(Math.Min(options.PhaseSeconds, Remaining));

    private double Remaining => Math.Max(0, options.MaxTotalSeconds - _runClock.Elapsed.TotalSeconds);

    public async Task<List<PhaseReport>> RunAsync(CancellationToken ct)
    {
        var reports = new List<PhaseReport>();
        foreach (string phase in options.Phases)
        {
            if (Remaining < 1)
            {
                reports.Add(new PhaseReport(phase) { Skipped = "--max-total-seconds reached" });
                continue;
            }

            if (phase != "login" && client.AccessJwt is null)
            {
                XrpcResponse login = await client.LoginAsync(options.Handle, options.Password, ct);
                if (!login.Ok)
                {
                    throw new LoginFailedException(ClosedLoop.Describe(login));
                }
            }

            Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {phase}");
            double cpu0 = monitor.BeginPhase();
            PhaseReport report;
            try
            {
                report = await RunPhaseAsync(phase, ct);
            }
            catch (System.Net.WebSockets.WebSocketException ex) when (ex.WebSocketErrorCode == System.Net.WebSockets.WebSocketError.NotAWebSocket)
            {
                // The server answered the upgrade with a plain HTTP status (404/501): no subscribeRepos there.
                report = new PhaseReport(phase) { Skipped = "not supported: " + ex.Message };
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                report = new PhaseReport(phase) { Skipped = "failed: " + ex.GetType().Name + ": " + ex.Message };
            }

            (double cpu1, long peak) = monitor.EndPhase();
            if (monitor.Enabled)
            {
                report.ServerCpuSeconds = cpu1 - cpu0;
                report.PeakRssBytes = peak;
            }

            report.LoadAverage = ResourceMonitor.LoadAverage1();
            reports.Add(report);
            PhaseReport.WriteTable(Console.Out, [report]);
            if (phase == "login" && (report.Skipped is not null || report.Errors > 0 || client.AccessJwt is null))
            {
                // Every later phase would only measure 401s: stop here.
                throw new LoginFailedException(report.FirstError ?? report.Skipped ?? "no access token");
            }
        }

        return reports;
    }

    private Task<PhaseReport> RunPhaseAsync(string phase, CancellationToken ct) => phase switch
    {
        "login" => LoginAsync(ct),
        "fill" => FillAsync(ct),
        "create1" => CreateAsync(phase, 1, ct),
        "create16" => CreateAsync(phase, 16, ct),
        "create64" => CreateAsync(phase, 64, ct),
        "getRecord" => GetRecordAsync(ct),
        "listRecords1" => ListRecordsAsync(phase, 1, ct),
        "listRecords16" => ListRecordsAsync(phase, 16, ct),
        "getRepo" => GetRepoAsync(ct),
        "uploadBlob" => UploadBlobAsync(ct),
        "getBlob" => GetBlobAsync(ct),
        _ when phase.StartsWith("fanout", StringComparison.Ordinal) && int.TryParse(phase.AsSpan(6), out int n) && n is > 0 and <= 15_000
            => new Fanout.FanoutPhase(options, client).RunAsync(phase, n, PhaseTime, ct),
        _ when phase.StartsWith("replay", StringComparison.Ordinal) && int.TryParse(phase.AsSpan(6), out int n) && n is > 0 and <= 1_000
            => new Fanout.ReplayPhase(options, client).RunAsync(phase, n, PhaseTime, ct),
        _ when phase.StartsWith("firehose", StringComparison.Ordinal) && int.TryParse(phase.AsSpan(8), out int n) && n is > 0 and <= 10_000
            => new FirehosePhase(options, client).RunAsync(phase, n, PhaseTime, ct),
        _ => throw new ArgumentException($"unknown phase {phase}"),
    };

    private async Task<PhaseReport> LoginAsync(CancellationToken ct)
    {
        LoopResult r = await ClosedLoop.RunAsync(1, PhaseTime, 1, async (_, c) =>
        {
            XrpcResponse resp = await client.LoginAsync(options.Handle, options.Password, c);
            return resp.Ok ? true : throw new XrpcFailure(resp);
        }, ct);
        return new PhaseReport("login").From(r);
    }

    private async Task<PhaseReport> FillAsync(CancellationToken ct)
    {
        int target = options.FillRecords;
        long records = 0;
        bool fallback = false;
        int batch = 200;
        var duration = TimeSpan.FromSeconds(Math.Min(options.FillSeconds, Remaining));
        LoopResult r = await ClosedLoop.RunAsync(1, duration, options.MaxOps, async (_, c) =>
        {
            int n = (int)Math.Min(batch, target - Interlocked.Read(ref records));
            string[] rkeys = new string[n];
            for (int i = 0; i < n; i++)
            {
                rkeys[i] = PostFactory.NextTid();
            }

            XrpcResponse resp = await client.PostAsync("com.atproto.repo.applyWrites", PostFactory.ApplyWritesBody(client.Did, rkeys), "application/json", c);
            if (resp.Status is 400 or 404 or 501 && Interlocked.Read(ref records) == 0)
            {
                fallback = true;
                return true;
            }

            if (!resp.Ok)
            {
                throw new XrpcFailure(resp);
            }

            Interlocked.Add(ref records, n);
            lock (_rkeys)
            {
                _rkeys.AddRange(rkeys);
            }

            return true;
        }, ct, () => fallback || Interlocked.Read(ref records) >= target);

        var report = new PhaseReport("fill").From(r);
        if (fallback)
        {
            // applyWrites unsupported: createRecord ×16 in flight until the target is reached.
            LoopResult f = await ClosedLoop.RunAsync(16, duration, options.MaxOps, async (_, c) =>
            {
                await CreateOneAsync(c);
                Interlocked.Increment(ref records);
                return true;
            }, ct, () => Interlocked.Read(ref records) >= target);
            report = new PhaseReport("fill").From(f);
            report.Add("applyWritesFallback", 1);
        }

        return report.Add("records", records).Add("recordsPerSecond", report.Seconds > 0 ? records / report.Seconds : 0).Add("batch", fallback ? 1 : batch);
    }

    private async Task CreateOneAsync(CancellationToken ct)
    {
        string rkey = PostFactory.NextTid();
        XrpcResponse resp = await client.PostAsync("com.atproto.repo.createRecord", PostFactory.CreateRecordBody(client.Did, rkey), "application/json", ct);
        if (!resp.Ok)
        {
            throw new XrpcFailure(resp);
        }

        lock (_rkeys)
        {
            _rkeys.Add(rkey);
        }
    }

    private async Task<PhaseReport> CreateAsync(string name, int inFlight, CancellationToken ct)
    {
        LoopResult r = await ClosedLoop.RunAsync(inFlight, PhaseTime, options.MaxOps, async (_, c) =>
        {
            await CreateOneAsync(c);
            return true;
        }, ct);
        return new PhaseReport(name).From(r).Add("inFlight", inFlight);
    }

    private async Task EnsureRkeysAsync(CancellationToken ct)
    {
        if (_rkeys.Count > 0)
        {
            return;
        }

        // Nothing written in this run: learn existing rkeys from listRecords (bounded to 100 pages).
        string? cursor = null;
        for (int page = 0; page < 100; page++)
        {
            (int n, cursor) = await ListPageAsync(cursor, collect: true, ct);
            if (n == 0 || cursor is null)
            {
                break;
            }
        }
    }

    private async Task<PhaseReport> GetRecordAsync(CancellationToken ct)
    {
        await EnsureRkeysAsync(ct);
        string[] rkeys;
        lock (_rkeys)
        {
            rkeys = [.. _rkeys];
        }

        if (rkeys.Length == 0)
        {
            return new PhaseReport("getRecord") { Skipped = "no records in the repo" };
        }

        string prefix = $"com.atproto.repo.getRecord?repo={Uri.EscapeDataString(client.Did)}&collection={PostFactory.Collection}&rkey=";
        LoopResult r = await ClosedLoop.RunAsync(64, PhaseTime, options.MaxOps, async (_, c) =>
        {
            XrpcResponse resp = await client.GetAsync(prefix + rkeys[Random.Shared.Next(rkeys.Length)], c);
            return resp.Ok ? true : throw new XrpcFailure(resp);
        }, ct);
        return new PhaseReport("getRecord").From(r).Add("inFlight", 64).Add("distinctKeys", rkeys.Length);
    }

    private async Task<(int Records, string? Cursor)> ListPageAsync(string? cursor, bool collect, CancellationToken ct)
    {
        string q = $"com.atproto.repo.listRecords?repo={Uri.EscapeDataString(client.Did)}&collection={PostFactory.Collection}&limit=100";
        if (cursor is not null)
        {
            q += "&cursor=" + Uri.EscapeDataString(cursor);
        }

        XrpcResponse resp = await client.GetAsync(q, ct);
        if (!resp.Ok)
        {
            throw new XrpcFailure(resp);
        }

        using JsonDocument doc = JsonDocument.Parse(resp.Body);
        JsonElement records = doc.RootElement.GetProperty("records");
        int n = records.GetArrayLength();
        if (collect)
        {
            lock (_rkeys)
            {
                foreach (JsonElement rec in records.EnumerateArray())
                {
                    string uri = rec.GetProperty("uri").GetString() ?? "";
                    _rkeys.Add(uri[(uri.LastIndexOf('/') + 1)..]);
                }
            }
        }

        string? next = doc.RootElement.TryGetProperty("cursor", out JsonElement cur) && cur.ValueKind == JsonValueKind.String ? cur.GetString() : null;
        return (n, n < 100 ? null : next);
    }

    private async Task<PhaseReport> ListRecordsAsync(string name, int inFlight, CancellationToken ct)
    {
        string?[] cursors = new string?[inFlight];
        long records = 0, walks = 0;
        LoopResult r = await ClosedLoop.RunAsync(inFlight, PhaseTime, options.MaxOps, async (w, c) =>
        {
            (int n, string? next) = await ListPageAsync(cursors[w], collect: false, c);
            Interlocked.Add(ref records, n);
            cursors[w] = next;
            if (next is null)
            {
                Interlocked.Increment(ref walks);
            }

            return true;
        }, ct);
        var report = new PhaseReport(name).From(r);
        return report.Add("inFlight", inFlight).Add("recordsPerSecond", report.Seconds > 0 ? records / report.Seconds : 0).Add("completeWalks", walks);
    }

    private async Task<PhaseReport> GetRepoAsync(CancellationToken ct)
    {
        var times = new List<double>();
        var ttfbs = new List<double>();
        long bytes = 0, blocks = 0;
        int bad = 0;
        long max = Math.Min(options.MaxOps, 5);
        LoopResult r = await ClosedLoop.RunAsync(1, PhaseTime, max, async (_, c) =>
        {
            long t0 = Stopwatch.GetTimestamp();
            using HttpRequestMessage req = client.NewGet($"com.atproto.sync.getRepo?did={Uri.EscapeDataString(client.Did)}");
            req.Headers.AcceptEncoding.ParseAdd("identity");
            using HttpResponseMessage resp = await client.Http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, c);
            double ttfb = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (!resp.IsSuccessStatusCode)
            {
                throw new XrpcFailure(new XrpcResponse((int)resp.StatusCode, await resp.Content.ReadAsByteArrayAsync(c)));
            }

            await using Stream s = await resp.Content.ReadAsStreamAsync(c);
            var counter = new CarBlockCounter();
            byte[] buf = new byte[64 * 1024];
            long n = 0;
            int read;
            while ((read = await s.ReadAsync(buf, c)) > 0)
            {
                counter.Feed(buf.AsSpan(0, read));
                n += read;
            }

            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            ttfbs.Add(ttfb);
            bytes = n;
            blocks = counter.Blocks;
            if (!counter.Complete)
            {
                bad++;
            }

            return counter.Complete;
        }, ct);
        times.Sort();
        ttfbs.Sort();
        double median = times.Count > 0 ? times[times.Count / 2] : double.NaN;
        return new PhaseReport("getRepo").From(r)
            .Add("bytes", bytes).Add("carBlocks", blocks).Add("medianMs", median)
            .Add("ttfbMedianMs", ttfbs.Count > 0 ? ttfbs[ttfbs.Count / 2] : double.NaN)
            .Add("mbPerSecond", bytes / 1e6 / (median / 1000)).Add("invalidCars", bad);
    }

    private async Task<PhaseReport> UploadBlobAsync(CancellationToken ct)
    {
        const int size = 32 * 1024;
        int unsupported = 0;
        LoopResult r = await ClosedLoop.RunAsync(4, PhaseTime, options.MaxOps, async (_, c) =>
        {
            // PNG signature first so content sniffing says image/png (an image embed accepts image/*).
            byte[] data = new byte[size];
            Random.Shared.NextBytes(data);
            ReadOnlySpan<byte> png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
            png.CopyTo(data);
            XrpcResponse resp = await client.PostAsync("com.atproto.repo.uploadBlob", data, "image/png", c);
            if (resp.Status is 404 or 501)
            {
                Interlocked.Exchange(ref unsupported, 1);
            }

            if (!resp.Ok)
            {
                throw new XrpcFailure(resp);
            }

            using JsonDocument doc = JsonDocument.Parse(resp.Body);
            lock (_blobs)
            {
                if (_blobs.Count < 64)
                {
                    _blobs.Add(doc.RootElement.GetProperty("blob").GetRawText());
                }
            }

            return true;
        }, ct, () => Volatile.Read(ref unsupported) == 1);
        if (unsupported == 1)
        {
            return new PhaseReport("uploadBlob") { Skipped = "uploadBlob not supported: " + r.FirstError };
        }

        var report = new PhaseReport("uploadBlob").From(r);
        return report.Add("inFlight", 4).Add("blobBytes", size).Add("mbPerSecond", report.OpsPerSecond * size / 1e6);
    }

    private async Task<PhaseReport> GetBlobAsync(CancellationToken ct)
    {
        if (_blobs.Count == 0)
        {
            return new PhaseReport("getBlob") { Skipped = "no uploaded blobs (run uploadBlob first)" };
        }

        // A blob is served once a record references it: one post embedding up to 4 images.
        string[] refs = [.. _blobs.Take(4)];
        string embed = "{\"$type\":\"app.bsky.embed.images\",\"images\":[" + string.Join(',', refs.Select(b => "{\"image\":" + b + ",\"alt\":\"bench\"}")) + "]}";
        XrpcResponse created = await client.PostAsync("com.atproto.repo.createRecord", PostFactory.CreateRecordBody(client.Did, PostFactory.NextTid(), embed), "application/json", ct);
        if (!created.Ok)
        {
            return new PhaseReport("getBlob") { Skipped = "post embedding the blobs was refused: " + ClosedLoop.Describe(created) };
        }

        foreach (string b in refs)
        {
            using JsonDocument doc = JsonDocument.Parse(b);
            _blobCids.Add(doc.RootElement.GetProperty("ref").GetProperty("$link").GetString() ?? "");
        }

        string prefix = $"com.atproto.sync.getBlob?did={Uri.EscapeDataString(client.Did)}&cid=";
        long bytes = 0;
        LoopResult r = await ClosedLoop.RunAsync(16, PhaseTime, options.MaxOps, async (_, c) =>
        {
            XrpcResponse resp = await client.GetAsync(prefix + _blobCids[Random.Shared.Next(_blobCids.Count)], c);
            if (!resp.Ok)
            {
                throw new XrpcFailure(resp);
            }

            Interlocked.Add(ref bytes, resp.Body.Length);
            return true;
        }, ct);
        var report = new PhaseReport("getBlob").From(r);
        return report.Add("inFlight", 16).Add("mbPerSecond", report.Seconds > 0 ? bytes / 1e6 / report.Seconds : 0);
    }
}
