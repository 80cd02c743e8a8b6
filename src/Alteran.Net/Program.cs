namespace Alteran.Net;

internal static class Program
{
    // Replaced by the hosting composition root (server-core work); kept minimal so the solution builds.
    private static int Main() => 0;
}
