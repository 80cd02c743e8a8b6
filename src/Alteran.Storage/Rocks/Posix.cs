using System.Runtime.InteropServices;

namespace Alteran.Storage.Rocks;

/// <summary>The libc calls the BCL does not expose: hard links for checkpoints.</summary>
internal static unsafe partial class Posix
{
    [LibraryImport("libc", EntryPoint = "link", SetLastError = true)]
    private static partial int link(byte* oldpath, byte* newpath);

    /// <summary>Creates a hard link; false when the file system refuses (the caller copies instead).</summary>
    public static bool Link(string existing, string target)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            return false;
        byte[] a = RocksDb.Utf8Z(existing);
        byte[] b = RocksDb.Utf8Z(target);
        fixed (byte* pa = a)
        fixed (byte* pb = b)
            return link(pa, pb) == 0;
    }
}
