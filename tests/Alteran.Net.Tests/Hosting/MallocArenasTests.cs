using Alteran.Net.Hosting;

namespace Alteran.Net.Tests.Hosting;

/// <summary>The glibc arena cap the server applies at start-up.</summary>
public sealed class MallocArenasTests
{
    [Fact]
    public void Glibc_accepts_the_arena_cap_unless_the_environment_sets_one()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/lib/x86_64-linux-gnu/libc.so.6") && !File.Exists("/lib/aarch64-linux-gnu/libc.so.6"))
            return; // not a glibc system: Apply is documented to do nothing
        bool expected = Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is null;
        Assert.Equal(expected, MallocArenas.Apply());
    }
}
