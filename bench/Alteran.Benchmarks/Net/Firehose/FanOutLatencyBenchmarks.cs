using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Alteran.Net.Firehose;
using Alteran.Net.Http;
using Alteran.Net.Xrpc;
using Alteran.Storage;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.Logging.Abstractions;

namespace Alteran.Benchmarks.Net.Firehose;

/// <summary>
/// Commit-to-last-subscriber latency of <c>subscribeRepos</c> fan-out over real loopback sockets: one op publishes a
/// 600-byte frame through the <see cref="Sequencer"/> (as a durable commit does) and completes when every one of
/// <see cref="Subscribers"/> raw-socket clients (in this process, so they share the CPU as a load tool would) has
/// received it. The setup also prints the server's managed heap and RSS per connected subscriber.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Percentiles))]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 5, iterationCount: 30, invocationCount: 40)]
public class FanOutLatencyBenchmarks
{
    private const int FrameBytes = 600;
    private string _directory = "";
    private AlteranStore _store = null!;
    private Sequencer _sequencer = null!;
    private FirehoseXrpc _firehose = null!;
    private HttpServer _server = null!;
    private Socket[] _clients = [];
    private Task[] _readers = [];
    private byte[] _frame = [];
    private int _remaining;
    private TaskCompletionSource _allReceived = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<long> _latencies = new(100_000);
    private TimeSpan _cpuAtStart;

    /// <summary>Subscriber counts: 1000, or the comma-separated list in <c>ALTERAN_FANOUT_SUBSCRIBERS</c> (e.g. 10000;
    /// mind the open-file limit: each subscriber is two sockets in this process).</summary>
    [ParamsSource(nameof(SubscriberCounts))]
    public int Subscribers { get; set; }

    public static IEnumerable<int> SubscriberCounts()
    {
        string? list = Environment.GetEnvironmentVariable("ALTERAN_FANOUT_SUBSCRIBERS");
        if (string.IsNullOrWhiteSpace(list))
            return [1000];
        return list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
    }

    private sealed class Percentiles : ManualConfig
    {
        public Percentiles() => AddColumn(StatisticColumn.P50, StatisticColumn.P95, StatisticColumn.Max);
    }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "alteran-fanout-bench", Guid.NewGuid().ToString("N"));
        _store = AlteranStore.Open(_directory);
        _sequencer = new Sequencer(_store, new FirehoseOptions { MaxSubscribers = 100_000 });
        _firehose = new FirehoseXrpc(_sequencer);
        var router = new XrpcRouter();
        _firehose.Register(router);
        _server = new HttpServer(new HttpServerOptions
        {
            EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Limits = new HttpLimits { MaxConnections = 100_000 },
        }, new XrpcApplication(router, CorsPolicy.AllowAny, NullLogger.Instance), NullLogger.Instance);
        _server.Start();
        _frame = new byte[FrameBytes];
        Random.Shared.NextBytes(_frame);

        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        long rssBefore = Process.GetCurrentProcess().WorkingSet64;
        _clients = new Socket[Subscribers];
        _readers = new Task[Subscribers];
        for (int i = 0; i < Subscribers; i++)
        {
            _clients[i] = Connect(_server.LocalEndPoint.Port);
        }
        for (int i = 0; i < 200 && _firehose.SubscriberCount < Subscribers; i++)
            Thread.Sleep(50);
        long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        Process.GetCurrentProcess().Refresh();
        long rssAfter = Process.GetCurrentProcess().WorkingSet64;
        Console.WriteLine($"// fan-out: {_firehose.SubscriberCount} subscribers; managed heap {(heapAfter - heapBefore) / Subscribers} B/subscriber, " +
            $"RSS {(rssAfter - rssBefore) / Subscribers} B/subscriber (both include the in-process client socket)");
        for (int i = 0; i < Subscribers; i++)
            _readers[i] = ReadLoopAsync(_clients[i]);
        // Idle cost: nothing is published for 3 s (after 2 s to settle); caught-up subscribers should cost ~no CPU.
        Thread.Sleep(2000);
        TimeSpan idleStart = Process.GetCurrentProcess().TotalProcessorTime;
        Thread.Sleep(3000);
        TimeSpan idle = Process.GetCurrentProcess().TotalProcessorTime - idleStart;
        Console.WriteLine($"// fan-out idle: {idle.TotalMilliseconds / 3:F1} ms CPU per second with {Subscribers} caught-up subscribers");
        _cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
    }

    private static Socket Connect(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(IPAddress.Loopback, port);
        socket.Send(Encoding.ASCII.GetBytes($"GET /xrpc/{FirehoseXrpc.Nsid} HTTP/1.1\r\nHost: b\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        // Read the 101 response (up to the blank line).
        var head = new byte[1];
        int state = 0;
        for (int i = 0; i < 4096 && state < 4; i++)
        {
            if (socket.Receive(head) != 1)
                throw new IOException("Closed during the handshake.");
            state = head[0] == (state % 2 == 0 ? '\r' : '\n') ? state + 1 : (head[0] == '\r' ? 1 : 0);
        }
        return socket;
    }

    // Each message is a 4-byte header (126 + 16-bit length) + the frame: count whole messages by bytes.
    private async Task ReadLoopAsync(Socket socket)
    {
        var buffer = new byte[8192];
        int messageBytes = 4 + FrameBytes, partial = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                int n = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (n == 0)
                    return;
                partial += n;
                while (partial >= messageBytes)
                {
                    partial -= messageBytes;
                    if (Interlocked.Decrement(ref _remaining) == 0)
                        _allReceived.TrySetResult();
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    [Benchmark(Description = "publish → last subscriber has the frame")]
    public void PublishToLastSubscriber()
    {
        _allReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _remaining, Subscribers);
        long start = Stopwatch.GetTimestamp();
        _sequencer.Publish(_sequencer.Ring.Head + 1, _frame);
        if (!_allReceived.Task.Wait(TimeSpan.FromSeconds(30)))
            throw new TimeoutException($"{Volatile.Read(ref _remaining)} subscribers did not get the frame.");
        _latencies.Add(Stopwatch.GetTimestamp() - start);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        // BenchmarkDotNet's percentiles are over iteration means; these are over single ops (warm-up included).
        long[] sorted = [.. _latencies];
        Array.Sort(sorted);
        if (sorted.Length > 0)
        {
            double Ms(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))] * 1000.0 / Stopwatch.Frequency;
            Console.WriteLine($"// fan-out per op ({sorted.Length} ops): p50 {Ms(0.50):F2} ms, p90 {Ms(0.90):F2} ms, p99 {Ms(0.99):F2} ms, max {Ms(1.0):F2} ms");
            // CPU per op is what the machine's contention does not inflate (much): server and in-process clients.
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime - _cpuAtStart;
            Console.WriteLine($"// fan-out CPU per op: {cpu.TotalMilliseconds / sorted.Length:F2} ms ({cpu.TotalMilliseconds * 1000 / sorted.Length / Subscribers:F2} µs per subscriber and frame, clients included)");
        }
        _stop.Cancel();
        foreach (Socket s in _clients)
            s.Dispose();
        _server.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(30));
        _firehose.Dispose();
        _sequencer.Dispose();
        _store.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
