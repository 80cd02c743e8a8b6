using System.Runtime.InteropServices;

namespace Alteran.Net.Hosting;

/// <summary>
/// Caps glibc's malloc arenas (<c>M_ARENA_MAX</c>) before RocksDB starts allocating. glibc gives every thread that
/// meets contention its own 64 MiB arena, up to 8 per core, and keeps freed memory in them: RocksDB's flush and
/// compaction threads left ~350 MiB of native RSS after a 1M-record import. With two arenas a 600k-record import
/// peaked 50–95 MiB lower per phase (e.g. 571 → 518 MiB during getRepo, 620 → 524 during getRecord) with throughput
/// within run-to-run noise (the server has few allocating native threads). An explicit
/// <c>MALLOC_ARENA_MAX</c> in the environment wins (glibc reads it itself); on other C libraries this does nothing.
/// </summary>
public static unsafe class MallocArenas
{
    private const int MArenaMax = -8; // M_ARENA_MAX from <malloc.h>

    /// <summary>Arenas kept when the environment does not say.</summary>
    public const int DefaultMax = 2;

    /// <summary>Applies the cap; true when glibc accepted it.</summary>
    public static bool Apply(int max = DefaultMax)
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null)
            return false;
        if (!NativeLibrary.TryLoad("libc.so.6", out nint libc))
            return false;
        if (!NativeLibrary.TryGetExport(libc, "mallopt", out nint mallopt))
            return false;
        return ((delegate* unmanaged<int, int, int>)mallopt)(MArenaMax, max) == 1;
    }
}
