namespace Alteran.Net.Auth;

/// <summary>
/// Argon2id cost parameters, stored inside every hash string. Default: OWASP's minimum, m = 19 MiB, t = 2, p = 1
/// (~15 ms and 19 MiB per hash on our reference machine). libsodium (NSec) only supports p = 1.
/// </summary>
public readonly record struct PasswordHashParameters(int MemoryKiB, int Iterations, int Parallelism = 1)
{
    /// <summary>m = 19456 KiB, t = 2, p = 1.</summary>
    public static PasswordHashParameters Default => new(19 * 1024, 2, 1);

    /// <summary>Upper bounds accepted when <em>reading</em> a stored hash, so a corrupt or hostile row cannot demand gigabytes.</summary>
    public const int MaxMemoryKiB = 1024 * 1024, MaxIterations = 16;

    /// <summary>True when libsodium can run these parameters and they are within our bounds.</summary>
    public bool IsSupported => Parallelism == 1 && MemoryKiB >= 8 && MemoryKiB <= MaxMemoryKiB
        && Iterations >= 1 && Iterations <= MaxIterations;
}
