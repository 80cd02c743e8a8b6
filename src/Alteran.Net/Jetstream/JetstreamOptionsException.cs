namespace Alteran.Net.Jetstream;

/// <summary>
/// Subscriber options (query string or <c>options_update</c> message) were invalid. The message is safe to send to
/// the client (HTTP 400 body, or WebSocket close reason); it quotes at most a short prefix of the bad value.
/// </summary>
public sealed class JetstreamOptionsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JetstreamOptionsException(JetstreamOptionsError error, string message, Exception? inner = null)
        : base(message, inner) => Error = error;

    /// <summary>What was wrong.</summary>
    public JetstreamOptionsError Error { get; }

    // Short and printable: the text may end up in a WebSocket close reason (at most 123 bytes).
    internal static string Quote(ReadOnlySpan<char> value)
    {
        const int max = 40;
        Span<char> buffer = stackalloc char[max];
        int n = Math.Min(value.Length, max);
        for (int i = 0; i < n; i++)
            buffer[i] = value[i] is >= ' ' and <= '~' ? value[i] : '?';
        return value.Length <= max ? new string(buffer[..n]) : string.Concat(buffer[..n], "…");
    }
}
