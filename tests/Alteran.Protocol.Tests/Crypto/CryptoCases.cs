using Alteran.Protocol.Crypto;

namespace Alteran.Protocol.Tests.Crypto;

/// <summary>The three key implementations every round-trip test runs against.</summary>
internal static class CryptoCases
{
    public const string K256Native = "K256/libsecp256k1";
    public const string K256DotNet = "K256/dotnet";
    public const string P256 = "P256/dotnet";

    public static TheoryData<string> All => new() { K256Native, K256DotNet, P256 };

    public static (KeyAlgorithm Algorithm, K256Backend Backend) Parse(string name) => name switch
    {
        K256Native => (KeyAlgorithm.K256, K256Backend.LibSecp256k1),
        K256DotNet => (KeyAlgorithm.K256, K256Backend.DotNet),
        P256 => (KeyAlgorithm.P256, K256Backend.Auto),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    public static PrivateKey Generate(string name)
    {
        var (alg, backend) = Parse(name);
        return PrivateKey.Generate(alg, backend);
    }

    public static string FixturePath(string file) =>
        Path.Combine(AppContext.BaseDirectory, "fixtures", "interop", "crypto", file);
}
