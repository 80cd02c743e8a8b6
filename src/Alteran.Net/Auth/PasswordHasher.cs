using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Alteran.Net.Auth;

/// <summary>Outcome of <see cref="PasswordHasher.Verify"/>.</summary>
public enum PasswordVerification
{
    /// <summary>Wrong password, or the stored hash is unreadable.</summary>
    Failed,
    /// <summary>Correct.</summary>
    Success,
    /// <summary>Correct, but the hash uses other parameters than the current ones: store a new hash.</summary>
    SuccessRehashNeeded,
}

/// <summary>
/// Argon2id password hashing (libsodium via NSec) in the PHC string format
/// <c>$argon2id$v=19$m=19456,t=2,p=1$&lt;salt&gt;$&lt;hash&gt;</c> (standard base64 without padding; 16-byte salt,
/// 32-byte hash). Each hash takes <see cref="PasswordHashParameters.MemoryKiB"/> of memory, so all hashing goes
/// through a gate of <see cref="MaxConcurrency"/> slots: a flood of logins queues instead of exhausting memory.
/// </summary>
public sealed class PasswordHasher : IDisposable
{
    /// <summary>Passwords longer than this many UTF-8 bytes are refused (hashing cost must not scale with input).</summary>
    public const int MaxPasswordBytes = 1024;

    private const int SaltLength = 16;
    private const int HashLength = 32;
    private const string Prefix = "$argon2id$v=19$";

    private readonly SemaphoreSlim _gate;

    /// <summary>Creates a hasher with the given parameters and gate size (default: processor count).</summary>
    public PasswordHasher(PasswordHashParameters? parameters = null, int? maxConcurrency = null)
    {
        var p = parameters ?? PasswordHashParameters.Default;
        if (!p.IsSupported)
            throw new ArgumentOutOfRangeException(nameof(parameters), p, "Unsupported Argon2id parameters (p must be 1).");
        int slots = maxConcurrency ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1, nameof(maxConcurrency));
        Parameters = p;
        MaxConcurrency = slots;
        _gate = new SemaphoreSlim(slots, slots);
    }

    /// <summary>The parameters new hashes are made with.</summary>
    public PasswordHashParameters Parameters { get; }

    /// <summary>How many hashes may run at once.</summary>
    public int MaxConcurrency { get; }

    /// <summary>Free slots right now (for metrics / load shedding).</summary>
    public int AvailableSlots => _gate.CurrentCount;

    /// <summary>Hashes a new password with fresh salt, waiting for a gate slot.</summary>
    public async ValueTask<string> HashAsync(string password, CancellationToken cancellationToken = default)
    {
        CheckPassword(password);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return HashCore(password);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Checks a password against a stored hash string, waiting for a gate slot.</summary>
    public async ValueTask<PasswordVerification> VerifyAsync(string password, string encodedHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(encodedHash);
        if (Encoding.UTF8.GetByteCount(password) > MaxPasswordBytes || !TryParse(encodedHash, out var p, out var salt, out var expected))
            return PasswordVerification.Failed;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return VerifyCore(password, p, salt, expected);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Synchronous <see cref="HashAsync"/> (blocks for a gate slot).</summary>
    public string Hash(string password)
    {
        CheckPassword(password);
        _gate.Wait();
        try
        {
            return HashCore(password);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Synchronous <see cref="VerifyAsync"/> (blocks for a gate slot).</summary>
    public PasswordVerification Verify(string password, string encodedHash)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(encodedHash);
        if (Encoding.UTF8.GetByteCount(password) > MaxPasswordBytes || !TryParse(encodedHash, out var p, out var salt, out var expected))
            return PasswordVerification.Failed;
        _gate.Wait();
        try
        {
            return VerifyCore(password, p, salt, expected);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Spends the same time as a real <see cref="VerifyAsync"/> and always fails: call it when the account does not
    /// exist (or has no password) so response timing does not reveal which identifiers are registered.
    /// </summary>
    public async ValueTask<PasswordVerification> VerifyUnknownAccountAsync(string password, CancellationToken cancellationToken = default)
    {
        string dummy = _dummyHash ??= Format(Parameters, new byte[SaltLength], new byte[HashLength]);
        await VerifyAsync(password ?? string.Empty, dummy, cancellationToken).ConfigureAwait(false);
        return PasswordVerification.Failed;
    }

    private string? _dummyHash;

    /// <summary>True when <paramref name="encodedHash"/> is unreadable or made with other parameters than <see cref="Parameters"/>.</summary>
    public bool NeedsRehash(string encodedHash) =>
        !TryParse(encodedHash, out var p, out _, out _) || p != Parameters;

    private string HashCore(string password)
    {
        Span<byte> salt = stackalloc byte[SaltLength];
        RandomNumberGenerator.Fill(salt);
        Span<byte> hash = stackalloc byte[HashLength];
        Derive(password, Parameters, salt, hash);
        return Format(Parameters, salt, hash);
    }

    private PasswordVerification VerifyCore(string password, PasswordHashParameters p, byte[] salt, byte[] expected)
    {
        Span<byte> actual = stackalloc byte[HashLength];
        Derive(password, p, salt, actual);
        bool ok = CryptographicOperations.FixedTimeEquals(actual, expected);
        CryptographicOperations.ZeroMemory(actual);
        return !ok ? PasswordVerification.Failed
            : p == Parameters ? PasswordVerification.Success
            : PasswordVerification.SuccessRehashNeeded;
    }

    private static void Derive(string password, PasswordHashParameters p, ReadOnlySpan<byte> salt, Span<byte> output)
    {
        var algorithm = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
        {
            DegreeOfParallelism = p.Parallelism,
            MemorySize = p.MemoryKiB,
            NumberOfPasses = p.Iterations,
        });
        byte[] utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(password.Length));
        int length = Encoding.UTF8.GetBytes(password, utf8);
        try
        {
            algorithm.DeriveBytes(utf8.AsSpan(0, length), salt, output);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(utf8.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    private static void CheckPassword(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length == 0)
            throw new ArgumentException("The password must not be empty.", nameof(password));
        if (Encoding.UTF8.GetByteCount(password) > MaxPasswordBytes)
            throw new ArgumentException($"The password is longer than {MaxPasswordBytes} bytes.", nameof(password));
    }

    /// <summary>Formats a PHC string.</summary>
    internal static string Format(PasswordHashParameters p, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> hash) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Prefix}m={p.MemoryKiB},t={p.Iterations},p={p.Parallelism}${ToB64(salt)}${ToB64(hash)}");

    private static string ToB64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    /// <summary>
    /// Parses <c>$argon2id$v=19$m=M,t=T,p=P$salt$hash</c> strictly: exact field order, decimal numbers without
    /// leading zeros or signs, canonical unpadded base64, 16-byte salt, 32-byte hash, supported parameters.
    /// </summary>
    internal static bool TryParse(string encoded, out PasswordHashParameters parameters, out byte[] salt, out byte[] hash)
    {
        parameters = default;
        salt = hash = [];
        if (encoded is null || encoded.Length > 200 || !encoded.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        ReadOnlySpan<char> rest = encoded.AsSpan(Prefix.Length);
        Span<Range> parts = stackalloc Range[4];
        if (rest.Split(parts, '$') != 3)
            return false;
        ReadOnlySpan<char> costs = rest[parts[0]];
        Span<Range> kv = stackalloc Range[4];
        if (costs.Split(kv, ',') != 3
            || !TryField(costs[kv[0]], "m=", out int m)
            || !TryField(costs[kv[1]], "t=", out int t)
            || !TryField(costs[kv[2]], "p=", out int par))
            return false;
        parameters = new PasswordHashParameters(m, t, par);
        return parameters.IsSupported
            && TryB64(rest[parts[1]], SaltLength, out salt)
            && TryB64(rest[parts[2]], HashLength, out hash);
    }

    private static bool TryField(ReadOnlySpan<char> text, string name, out int value)
    {
        value = 0;
        if (!text.StartsWith(name, StringComparison.Ordinal))
            return false;
        ReadOnlySpan<char> digits = text[name.Length..];
        if (digits.IsEmpty || digits.Length > 9 || (digits[0] == '0' && digits.Length > 1))
            return false;
        foreach (char c in digits)
        {
            if (c is < '0' or > '9')
                return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }

    private static bool TryB64(ReadOnlySpan<char> text, int length, out byte[] bytes)
    {
        bytes = [];
        // Unpadded standard base64 of n bytes has exactly ceil(4n/3) characters.
        if (text.Length != (length * 4 + 2) / 3 || text.ContainsAny('=', ' '))
            return false;
        Span<char> padded = stackalloc char[(length + 2) / 3 * 4];
        text.CopyTo(padded);
        padded[text.Length..].Fill('=');
        var buffer = new byte[length];
        if (!Convert.TryFromBase64Chars(padded, buffer, out int written) || written != length)
            return false;
        // Reject non-canonical spellings (non-zero trailing bits) by re-encoding.
        if (!ToB64(buffer).AsSpan().SequenceEqual(text))
            return false;
        bytes = buffer;
        return true;
    }

    /// <summary>Releases the gate.</summary>
    public void Dispose() => _gate.Dispose();
}
