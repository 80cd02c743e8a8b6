using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// Minimal Kestrel app for the side-by-side benchmark (bench/Alteran.Load). Listens on 127.0.0.1:<port> (default 5080)
// and serves GET /xrpc/_health with the same body as Alteran: {"version":"1.0.0"}.
//   Alteran.Kestrel <port>        minimal API endpoint with source-generated JSON (the usual way to write it)
//   Alteran.Kestrel <port> raw    one terminal middleware writing pre-encoded bytes (Kestrel's floor: no routing)
int port = args.Length > 0 ? int.Parse(args[0]) : 5080;
bool raw = args.Length > 1 && args[1] == "raw";
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(o =>
{
    o.Listen(System.Net.IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http1);
    o.AddServerHeader = false;
});
var app = builder.Build();
if (raw)
{
    byte[] body = """{"version":"1.0.0"}"""u8.ToArray();
    app.Run(context =>
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    });
}
else
{
    var health = new Health("1.0.0");
    app.MapGet("/xrpc/_health", () => TypedResults.Json(health, HealthJsonContext.Default.Health));
}

app.Run();

internal sealed record Health(string Version);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Health))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
