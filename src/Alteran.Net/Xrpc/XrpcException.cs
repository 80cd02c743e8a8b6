namespace Alteran.Net.Xrpc;

/// <summary>
/// An XRPC error for the client: answered with <see cref="StatusCode"/> and <c>{"error":Error,"message":Message}</c>,
/// and the connection stays open. Throw it from handlers; anything else becomes a 500 without detail.
/// </summary>
public sealed class XrpcException(int statusCode, string error, string? message = null) : Exception(message ?? error)
{
    /// <summary>HTTP status.</summary>
    public int StatusCode { get; } = statusCode;

    /// <summary>Error name (e.g. InvalidRequest, RecordNotFound).</summary>
    public string Error { get; } = error;

    /// <summary>Human-readable message, or null.</summary>
    public string? ErrorMessage { get; } = message;

    /// <summary>400 InvalidRequest.</summary>
    public static XrpcException InvalidRequest(string message) => new(400, "InvalidRequest", message);

    /// <summary>401 AuthenticationRequired.</summary>
    public static XrpcException AuthenticationRequired(string message = "Authentication Required") => new(401, "AuthenticationRequired", message);

    /// <summary>403 Forbidden.</summary>
    public static XrpcException Forbidden(string message = "Forbidden") => new(403, "Forbidden", message);

    /// <summary>404 with a method-specific error name (e.g. RecordNotFound).</summary>
    public static XrpcException NotFound(string error, string message) => new(404, error, message);

    /// <summary>413 PayloadTooLarge.</summary>
    public static XrpcException PayloadTooLarge(string message = "Request body too large") => new(413, "PayloadTooLarge", message);

    /// <summary>429 RateLimitExceeded.</summary>
    public static XrpcException RateLimitExceeded(string message = "Rate Limit Exceeded") => new(429, "RateLimitExceeded", message);

    /// <summary>503 with an error name (e.g. NotEnoughResources).</summary>
    public static XrpcException Unavailable(string error, string message) => new(503, error, message);
}
