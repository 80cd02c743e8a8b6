using System.Collections.Concurrent;
using System.Text;
using Alteran.Net.Http;

namespace Alteran.Net.Tests.Relay;

/// <summary>A real HTTP server on 127.0.0.1 standing in for a relay's requestCrawl endpoint.</summary>
internal sealed class FakeRelay : IAsyncDisposable
{
    public enum Behaviour { Accept, Fail, Hang }

    private readonly TestServer _server;
    private readonly TaskCompletionSource _firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeRelay(Behaviour behaviour)
    {
        Mode = behaviour;
        _server = new TestServer(router => router.MapProcedure("com.atproto.sync.requestCrawl", HandleAsync));
    }

    public Behaviour Mode { get; }
    public string Origin => $"http://127.0.0.1:{_server.Port}";
    public ConcurrentQueue<(string Body, string? ContentType)> Requests { get; } = new();
    public Task FirstRequest => _firstRequest.Task;

    private async ValueTask HandleAsync(HttpContext ctx)
    {
        ReadOnlyMemory<byte> body = await ctx.ReadBodyAsync(ctx.ConnectionAborted);
        Requests.Enqueue((Encoding.UTF8.GetString(body.Span), ctx.Request.GetHeader("content-type"u8)));
        _firstRequest.TrySetResult();
        switch (Mode)
        {
            case Behaviour.Accept:
                ctx.Response.WriteEmpty();
                break;
            case Behaviour.Fail:
                ctx.Response.StatusCode = 500;
                ctx.Response.WriteBody("{\"error\":\"InternalServerError\"}"u8, "application/json"u8);
                break;
            case Behaviour.Hang:
                await Task.Delay(Timeout.Infinite, ctx.ConnectionAborted);
                break;
        }
    }

    public async Task WaitForRequestAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await FirstRequest.WaitAsync(cts.Token);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
