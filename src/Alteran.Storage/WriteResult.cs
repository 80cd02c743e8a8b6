namespace Alteran.Storage;

/// <summary>What an acknowledged (durable) write produced.</summary>
/// <param name="Seq">The event-log sequence number assigned, or 0 when the write carried no event.</param>
/// <param name="AccountId">The account the write concerned (the new id for account creation).</param>
public readonly record struct WriteResult(long Seq, long AccountId);
