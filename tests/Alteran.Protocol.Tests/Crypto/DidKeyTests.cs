using System.Text.Json;
using Alteran.Protocol.Crypto;

namespace Alteran.Protocol.Tests.Crypto;

/// <summary>did:key derivation (W3C vectors) and rejection of malformed did:key / Multikey text.</summary>
public class DidKeyTests
{
    public static TheoryData<string, string, string> W3cVectors()
    {
        var data = new TheoryData<string, string, string>();
        using (var k = JsonDocument.Parse(File.ReadAllText(CryptoCases.FixturePath("w3c_didkey_K256.json"))))
        {
            foreach (var e in k.RootElement.EnumerateArray())
            {
                string hex = e.GetProperty("privateKeyBytesHex").GetString()!;
                string did = e.GetProperty("publicDidKey").GetString()!;
                data.Add(CryptoCases.K256Native, hex, did);
                data.Add(CryptoCases.K256DotNet, hex, did);
            }
        }
        using (var p = JsonDocument.Parse(File.ReadAllText(CryptoCases.FixturePath("w3c_didkey_P256.json"))))
        {
            foreach (var e in p.RootElement.EnumerateArray())
            {
                Assert.True(Base58Btc.TryDecode(e.GetProperty("privateKeyBytesBase58").GetString()!, out var raw));
                data.Add(CryptoCases.P256, Convert.ToHexString(raw), e.GetProperty("publicDidKey").GetString()!);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(W3cVectors))]
    public void PrivateKeyDerivesExpectedDidKey(string backendCase, string privateHex, string expectedDid)
    {
        var (alg, backend) = CryptoCases.Parse(backendCase);
        var raw = Convert.FromHexString(privateHex);
        using var key = PrivateKey.Import(alg, raw, backend);
        Assert.Equal(alg, key.Algorithm);
        Assert.Equal(expectedDid, key.PublicKey.ToDidKey());
        Assert.Equal(raw, key.Export());

        var parsed = PublicKey.FromDidKey(expectedDid, backend);
        Assert.Equal(key.PublicKey, parsed);
        Assert.Equal(key.PublicKey.GetHashCode(), parsed.GetHashCode());
        Assert.Equal(expectedDid, parsed.ToDidKey());
        Assert.Equal(expectedDid, "did:key:" + parsed.ToMultibase());

        // The parsed key verifies what the private key signs.
        var msg = "did:key vector"u8.ToArray();
        Assert.True(parsed.Verify(msg, key.Sign(msg)));
    }

    [Fact]
    public void DidKeyPrefixesMatchMulticodecTable()
    {
        using var k = PrivateKey.Generate(KeyAlgorithm.K256);
        using var p = PrivateKey.Generate(KeyAlgorithm.P256);
        Assert.StartsWith("did:key:zQ3s", k.PublicKey.ToDidKey());
        Assert.StartsWith("did:key:zDna", p.PublicKey.ToDidKey());
        Assert.True(Base58Btc.TryDecode(k.PublicKey.ToMultibase().AsSpan(1), out var kb));
        Assert.True(Base58Btc.TryDecode(p.PublicKey.ToMultibase().AsSpan(1), out var pb));
        Assert.Equal(new byte[] { 0xe7, 0x01 }, kb[..2]);
        Assert.Equal(new byte[] { 0x80, 0x24 }, pb[..2]);
        Assert.Equal(35, kb.Length);
        Assert.Equal(35, pb.Length);
        Assert.Equal(k.PublicKey.Compressed.ToArray(), kb[2..]);
    }

    public static TheoryData<string> MalformedDidKeys()
    {
        const string good = "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme";
        var data = new TheoryData<string>
        {
            "",
            "did:key:",
            "did:key:z",
            "did:web:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme",
            "DID:KEY:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme",
            "did:key:Q3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme",   // no multibase prefix
            "did:key:mQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme",  // base64 multibase
            "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBm0",  // '0' is not base58
            "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBmI",  // 'I' is not base58
            "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBmé",  // non-ASCII
            good + " ",
            " " + good,
            good + "1",                                                   // one byte too long
            "did:key:z1" + good["did:key:z".Length..],                    // leading zero byte before the multicodec
            "did:key:z11" + good["did:key:z".Length..],
            good[..^1],                                                   // wrong length
            "did:key:z" + new string('z', 5000),                         // oversized
            // Ed25519 did:key (multicodec 0xed): a valid did:key but not an atproto signing curve.
            "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        };
        // Prefixed bytes with a bad point or an unknown multicodec.
        data.Add("did:key:z" + Base58Btc.Encode([0xe7, 0x01, 0x02, .. new byte[32]]));          // x = 0: not on secp256k1
        data.Add("did:key:z" + Base58Btc.Encode([0xe7, 0x01, 0x05, .. new byte[32]]));          // bad SEC1 prefix byte
        data.Add("did:key:z" + Base58Btc.Encode([0xe7, 0x01, 0x02, .. Enumerable.Repeat((byte)0xff, 32)])); // x ≥ p
        data.Add("did:key:z" + Base58Btc.Encode([0xe7, 0x01, .. Uncompressed()]));              // uncompressed: not atproto
        data.Add("did:key:z" + Base58Btc.Encode([0xe6, 0x01, 0x02, .. new byte[32]]));          // unknown multicodec
        data.Add("did:key:z" + Base58Btc.Encode([0x81, 0x24, 0x02, .. new byte[32]]));          // unknown multicodec
        data.Add("did:key:z" + Base58Btc.Encode([0xe7]));                                         // truncated prefix
        return data;
    }

    private static byte[] Uncompressed()
    {
        // The secp256k1 generator point, uncompressed.
        return Convert.FromHexString(
            "0479BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798"
            + "483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8");
    }

    [Theory]
    [MemberData(nameof(MalformedDidKeys))]
    public void MalformedDidKeyIsRejected(string didKey)
    {
        Assert.False(PublicKey.TryFromDidKey(didKey, out var key));
        Assert.Null(key);
        Assert.False(PublicKey.TryFromDidKey(didKey, K256Backend.DotNet, out _));
        Assert.Throws<FormatException>(() => PublicKey.FromDidKey(didKey));
        if (didKey.StartsWith("did:key:", StringComparison.Ordinal))
            Assert.Throws<FormatException>(() => PublicKey.FromMultibase(didKey["did:key:".Length..]));
    }

    [Fact]
    public void EveryPrefixOfAValidDidKeyIsRejected()
    {
        foreach (var did in new[]
        {
            "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme",
            "did:key:zDnaeTiq1PdzvZXUaMdezchcMJQpBdH2VN4pgrrEhMCCbmwSb",
        })
        {
            Assert.True(PublicKey.TryFromDidKey(did, out _));
            for (int i = 0; i < did.Length; i++)
                Assert.False(PublicKey.TryFromDidKey(did.AsSpan(0, i), out _), did[..i]);
        }
    }

    [Fact]
    public void NullIsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => PublicKey.FromDidKey(null!));
        Assert.Throws<ArgumentNullException>(() => PublicKey.FromMultibase(null!));
    }

    [Fact]
    public void LegacyMultibaseAcceptsUncompressedPoint()
    {
        string legacy = "z" + Base58Btc.Encode(Uncompressed());
        foreach (var backend in new[] { K256Backend.LibSecp256k1, K256Backend.DotNet })
        {
            var key = PublicKey.FromMultibase(legacy, KeyAlgorithm.K256, backend);
            Assert.Equal("0279BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798", Convert.ToHexString(key.Compressed));
        }
        // The same point is not on P-256.
        Assert.Throws<FormatException>(() => PublicKey.FromMultibase(legacy, KeyAlgorithm.P256));
        Assert.Throws<FormatException>(() => PublicKey.FromMultibase("z", KeyAlgorithm.K256));
        Assert.Throws<FormatException>(() => PublicKey.FromMultibase("zzz", KeyAlgorithm.K256));
        Assert.Throws<FormatException>(() => PublicKey.FromMultibase("f0279", KeyAlgorithm.K256));
        Assert.Throws<FormatException>(() => PublicKey.FromMultibase("z" + new string('z', 10_000), KeyAlgorithm.K256));
        Assert.Throws<FormatException>(() => PublicKey.FromMultibase("z1" + legacy[1..], KeyAlgorithm.K256));
        // Every truncation of a legacy value is rejected too.
        for (int i = 0; i < legacy.Length; i++)
            Assert.Throws<FormatException>(() => PublicKey.FromMultibase(legacy[..i], KeyAlgorithm.K256));
    }
}
