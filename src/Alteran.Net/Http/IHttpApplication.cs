namespace Alteran.Net.Http;

/// <summary>What the HTTP layer calls for each request (the XRPC layer implements it).</summary>
public interface IHttpApplication
{
    /// <summary>Handles one request. Exceptions escaping here are logged and answered with 500.</summary>
    ValueTask ProcessRequestAsync(HttpContext context);
}
