using System.Text.Json;
using Alteran.Protocol.Crypto;

namespace Alteran.Protocol.Tests.Crypto;

/// <summary>atproto-interop-tests crypto/signature-fixtures.json against every backend that can hold the key.</summary>
public class SignatureFixtureTests
{
    public sealed record Fixture(
        string Comment, byte[] Message, KeyAlgorithm Algorithm, string DidDocSuite, string PublicKeyDid,
        string PublicKeyMultibase, byte[] Signature, bool Valid, string[] Tags)
    {
        public override string ToString() => Comment;
    }

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        int count = Load().Count;
        foreach (var backend in new[] { "auto", "dotnet" })
            for (int i = 0; i < count; i++)
                data.Add(backend, i);
        return data;
    }

    [Fact]
    public void FixtureFileHasAllSixCases()
    {
        var all = Load();
        Assert.Equal(6, all.Count);
        Assert.Equal(2, all.Count(f => f.Valid));
        Assert.Equal(2, all.Count(f => f.Tags.Contains("high-s")));
        Assert.Equal(2, all.Count(f => f.Tags.Contains("der-encoded")));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void VerifiesAsExpected(string backendName, int index)
    {
        var f = Load()[index];
        var backend = backendName == "dotnet" ? K256Backend.DotNet : K256Backend.Auto;

        var fromDid = PublicKey.FromDidKey(f.PublicKeyDid, backend);
        Assert.Equal(f.Algorithm, fromDid.Algorithm);
        Assert.Equal(f.PublicKeyDid, fromDid.ToDidKey());
        Assert.Equal(f.Valid, fromDid.Verify(f.Message, f.Signature));

        // The fixtures' publicKeyMultibase is the legacy form: bare compressed point, curve from the suite name.
        var legacyAlg = f.DidDocSuite switch
        {
            "EcdsaSecp256k1VerificationKey2019" => KeyAlgorithm.K256,
            "EcdsaSecp256r1VerificationKey2019" => KeyAlgorithm.P256,
            _ => throw new InvalidDataException(f.DidDocSuite),
        };
        var legacy = PublicKey.FromMultibase(f.PublicKeyMultibase, legacyAlg, backend);
        Assert.Equal(fromDid, legacy);
        Assert.Equal(f.Valid, legacy.Verify(f.Message, f.Signature));

        // A legacy value has no multicodec prefix, so the prefixed parser must refuse it.
        Assert.False(PublicKey.TryFromMultibase(f.PublicKeyMultibase, out _));
        // And the prefixed Multikey form round-trips.
        Assert.Equal(fromDid, PublicKey.FromMultibase(fromDid.ToMultibase()));
    }

    [Fact]
    public void HighSFixtureBecomesValidWhenNormalised()
    {
        // Shows that the high-S cases fail only because of the low-S rule: n - s gives a signature that verifies.
        foreach (var f in Load().Where(f => f.Tags.Contains("high-s")))
        {
            var key = PublicKey.FromDidKey(f.PublicKeyDid);
            var sig = f.Signature.ToArray();
            Assert.False(key.Verify(f.Message, sig));
            CurveParameters.For(f.Algorithm).NormalizeLowS(sig);
            Assert.NotEqual(f.Signature, sig);
            Assert.True(key.Verify(f.Message, sig));
            Assert.True(PublicKey.FromDidKey(f.PublicKeyDid, K256Backend.DotNet).Verify(f.Message, sig));
        }
    }

    internal static List<Fixture> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(CryptoCases.FixturePath("signature-fixtures.json")));
        var list = new List<Fixture>();
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            list.Add(new Fixture(
                e.GetProperty("comment").GetString()!,
                FromBase64(e.GetProperty("messageBase64").GetString()!),
                e.GetProperty("algorithm").GetString() switch
                {
                    "ES256K" => KeyAlgorithm.K256,
                    "ES256" => KeyAlgorithm.P256,
                    var other => throw new InvalidDataException(other),
                },
                e.GetProperty("didDocSuite").GetString()!,
                e.GetProperty("publicKeyDid").GetString()!,
                e.GetProperty("publicKeyMultibase").GetString()!,
                FromBase64(e.GetProperty("signatureBase64").GetString()!),
                e.GetProperty("validSignature").GetBoolean(),
                e.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray()));
        }
        return list;
    }

    // The fixtures use unpadded base64.
    private static byte[] FromBase64(string s) => Convert.FromBase64String(s.PadRight((s.Length + 3) / 4 * 4, '='));
}
