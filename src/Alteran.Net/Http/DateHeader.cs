using System.Text;

namespace Alteran.Net.Http;

/// <summary>The <c>Date</c> header line, formatted once per heartbeat tick rather than once per response.</summary>
internal static class DateHeader
{
    private static byte[] s_line = Format(DateTimeOffset.UtcNow);
    private static long s_second;

    /// <summary><c>Date: r\r\n</c> for the current second.</summary>
    public static ReadOnlySpan<byte> Line => Volatile.Read(ref s_line);

    /// <summary>Refreshes the cached line when the second changed (called by the heartbeat).</summary>
    public static void Update(DateTimeOffset now)
    {
        long second = now.ToUnixTimeSeconds();
        if (second != Interlocked.Read(ref s_second))
        {
            Interlocked.Exchange(ref s_second, second);
            Volatile.Write(ref s_line, Format(now));
        }
    }

    private static byte[] Format(DateTimeOffset now) => Encoding.ASCII.GetBytes("Date: " + now.ToString("r") + "\r\n");
}
