using System.Globalization;

namespace Alteran.Load;

/// <summary>CPU time and resident memory of the server process, read from /proc (Linux).</summary>
internal readonly record struct ServerSample(double CpuSeconds, long RssBytes)
{
    // USER_HZ is 100 on Linux x86-64 for /proc/<pid>/stat.
    private const double ClockTicksPerSecond = 100;

    public static ServerSample? Read(int pid)
    {
        if (pid <= 0)
        {
            return null;
        }

        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the parenthesised command name: state(3) ... utime(14) stime(15).
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        double ticks = double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
        long rssKb = 0;
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rssKb = long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return new ServerSample(ticks / ClockTicksPerSecond, rssKb * 1024);
    }
}
