namespace Alteran.Net.Xrpc;

/// <summary>The outcome of charging one request to one bucket: the values for the <c>RateLimit-*</c> headers.</summary>
public readonly record struct RateLimitDecision(bool Allowed, int Limit, int Remaining, long ResetUnixSeconds, RateLimitBucket Bucket);
