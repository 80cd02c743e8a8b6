using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// Minimal Kestrel app for the side-by-side benchmark (bench/Alteran.Load). Listens on 127.0.0.1:<port> (default 5080)
// and serves GET /xrpc/_health with the same body as Alteran: {"version":"1.0.0"}.
int port = args.Length > 0 ? int.Parse(args[0]) : 5080;
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(o =>
{
    o.Listen(System.Net.IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http1);
    o.AddServerHeader = false;
});
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, HealthJsonContext.Default));
var app = builder.Build();
var health = new Health("1.0.0");
app.MapGet("/xrpc/_health", () => TypedResults.Json(health, HealthJsonContext.Default.Health));
app.Run();

internal sealed record Health(string Version);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Health))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
