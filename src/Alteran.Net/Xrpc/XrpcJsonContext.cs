using System.Text.Json.Serialization;

namespace Alteran.Net.Xrpc;

/// <summary>Body of <c>GET /xrpc/_health</c>.</summary>
public sealed record HealthResponse(string Version);

/// <summary>Body of <c>/health</c> and <c>/ready</c>.</summary>
public sealed record StatusResponse(string Status, IReadOnlyList<string>? Failing = null);

/// <summary>Source-generated JSON metadata for the server's own bodies (no reflection; AOT-safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(StatusResponse))]
internal sealed partial class XrpcJsonContext : JsonSerializerContext;
