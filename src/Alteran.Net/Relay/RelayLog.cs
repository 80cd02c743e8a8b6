using Microsoft.Extensions.Logging;

namespace Alteran.Net.Relay;

/// <summary>Log lines of the requestCrawl announcer (event ids 7xx: outbound relay traffic).</summary>
internal static partial class RelayLog
{
    [LoggerMessage(700, LogLevel.Information, "requestCrawl accepted by {Relay} for {Hostname}")]
    public static partial void Accepted(ILogger logger, string relay, string hostname);

    [LoggerMessage(701, LogLevel.Warning, "requestCrawl to {Relay} failed with status {Status}: {Body}; next try in {NextTryHours} h")]
    public static partial void Refused(ILogger logger, string relay, int status, string body, double nextTryHours);

    [LoggerMessage(702, LogLevel.Warning, "requestCrawl to {Relay} failed: {Error}; next try in {NextTryHours} h")]
    public static partial void Failed(ILogger logger, string relay, string error, double nextTryHours);

    [LoggerMessage(703, LogLevel.Information, "requestCrawl not sent: {Reason}")]
    public static partial void Skipped(ILogger logger, string reason);
}
