using System.Text;
using Alteran.Net.Auth;
using Alteran.Protocol.Crypto;

namespace Alteran.Net.Tests.Auth;

/// <summary>
/// Seeded random mutations of valid tokens: no input may throw, and since every byte string has exactly one
/// accepted spelling, the only mutation allowed to verify is the identity.
/// </summary>
public class JwtMutationTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("mutation-secret-0123456789");
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \"{}";

    private static string Mutate(Random rng, string token)
    {
        var sb = new StringBuilder(token);
        int edits = rng.Next(1, 4);
        for (int e = 0; e < edits && sb.Length > 0; e++)
        {
            int at = rng.Next(sb.Length);
            switch (rng.Next(4))
            {
                case 0: sb[at] = Alphabet[rng.Next(Alphabet.Length)]; break;
                case 1: sb.Remove(at, 1); break;
                case 2: sb.Insert(at, Alphabet[rng.Next(Alphabet.Length)]); break;
                default: sb.Remove(at, Math.Min(rng.Next(1, 8), sb.Length - at)); break;
            }
        }
        return sb.ToString();
    }

    [Fact]
    public void Hs256MutationsNeverThrowAndNeverForge()
    {
        string token = Jwt.SignHs256(Secret, JwtType.Access, new JwtClaims
        {
            Scope = AuthScope.Access, Aud = "did:web:pds.test", Sub = "did:plc:alice", Iat = 1, Exp = 2,
        });
        var rng = new Random(1234);
        for (int i = 0; i < 20_000; i++)
        {
            string mutated = Mutate(rng, token);
            var error = Jwt.TryVerifyHs256(mutated, Secret, JwtType.Access, out _);
            if (error == JwtError.None)
                Assert.Equal(token, mutated);
        }
    }

    [Fact]
    public void EcdsaMutationsNeverThrowAndNeverForge()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.K256);
        string token = Jwt.SignEcdsa(key, JwtType.Jwt, new JwtClaims { Iss = "did:plc:a", Aud = "did:web:b", Lxm = "a.b.c", Exp = 2 });
        var rng = new Random(5678);
        for (int i = 0; i < 3_000; i++)
        {
            string mutated = Mutate(rng, token);
            Jwt.TryReadUnverified(mutated, out _, out _, out _);
            if (Jwt.VerifyEcdsaSignature(mutated, key.PublicKey) == JwtError.None)
                Assert.Equal(token, mutated);
        }
    }
}
