using System.Text;
using Alteran.Net.Auth;
using Alteran.Protocol.Crypto;

namespace Alteran.Net.Tests.Auth;

public class JwtTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("test-jwt-secret-0123456789");
    private const string AccessHeader = """{"typ":"at+jwt","alg":"HS256"}""";
    private const string Payload = """{"scope":"com.atproto.access","aud":"did:web:pds.test","sub":"did:plc:alice","iat":1700000000,"exp":1700007200}""";

    private static JwtError Verify(string token, JwtType type = JwtType.Access) =>
        Jwt.TryVerifyHs256(token, Secret, type, out _);

    [Fact]
    public void Hs256RoundTripKeepsEveryClaim()
    {
        var claims = new JwtClaims
        {
            Scope = AuthScope.Access, Iss = "did:plc:iss", Aud = "did:web:pds.test", Sub = "did:plc:alice",
            Lxm = "com.atproto.repo.createRecord", Jti = "abc", Iat = 10, Nbf = 11, Exp = 12,
        };
        string token = Jwt.SignHs256(Secret, JwtType.Access, claims);
        Assert.Equal(JwtError.None, Jwt.TryVerifyHs256(token, Secret, JwtType.Access, out var back));
        Assert.Equal(AccessHeader, JwtForge.Header(token));
        Assert.Same(AuthScope.Access, back!.Scope);
        Assert.Equal(("did:plc:iss", "did:web:pds.test", "did:plc:alice", "com.atproto.repo.createRecord", "abc"),
            (back.Iss, back.Aud, back.Sub, back.Lxm, back.Jti));
        Assert.Equal((10L, 11L, 12L), (back.Iat!.Value, back.Nbf!.Value, back.Exp!.Value));
    }

    [Fact]
    public void ForgedTokenFromRawJsonVerifies()
    {
        // Independent construction (BCL HMAC over hand-written JSON) must be accepted: interop with other issuers.
        string token = JwtForge.Hs256(AccessHeader, Payload, Secret);
        Assert.Equal(JwtError.None, Jwt.TryVerifyHs256(token, Secret, JwtType.Access, out var claims));
        Assert.Equal("did:plc:alice", claims!.Sub);
        Assert.Equal(1700007200, claims.Exp);
    }

    [Fact]
    public void EcdsaRoundTripForBothCurves()
    {
        foreach (var alg in new[] { KeyAlgorithm.K256, KeyAlgorithm.P256 })
        {
            using var key = PrivateKey.Generate(alg);
            string token = Jwt.SignEcdsa(key, JwtType.Jwt, new JwtClaims { Iss = "did:plc:a", Aud = "did:web:b", Exp = 5 });
            Assert.Equal($$"""{"typ":"JWT","alg":"{{alg.ToJwtAlg()}}"}""", JwtForge.Header(token));
            Assert.Equal(JwtError.None, Jwt.TryReadUnverified(token, out var jalg, out var typ, out var claims));
            Assert.Equal(alg == KeyAlgorithm.K256 ? JwtAlgorithm.ES256K : JwtAlgorithm.ES256, jalg);
            Assert.Equal(JwtType.Jwt, typ);
            Assert.Equal("did:plc:a", claims!.Iss);
            Assert.Equal(JwtError.None, Jwt.VerifyEcdsaSignature(token, key.PublicKey));
            using var other = PrivateKey.Generate(alg);
            Assert.Equal(JwtError.BadSignature, Jwt.VerifyEcdsaSignature(token, other.PublicKey));
            // Signature is 64 bytes → 86 base64url characters.
            Assert.Equal(86, token.Split('.')[2].Length);
        }
    }

    [Fact]
    public void AlgNoneIsRejected()
    {
        Assert.Equal(JwtError.Malformed, Verify(JwtForge.Unsigned("""{"typ":"at+jwt","alg":"none"}""", Payload)));
        Assert.Equal(JwtError.Malformed, Verify(JwtForge.Unsigned("""{"typ":"at+jwt","alg":"none"}""", Payload).TrimEnd('.')));
        Assert.Equal(JwtError.WrongAlgorithm, Verify(JwtForge.Unsigned("""{"typ":"at+jwt","alg":"none"}""", Payload, "AAAA")));
        Assert.Equal(JwtError.WrongAlgorithm, Verify(JwtForge.Hs256("""{"typ":"at+jwt"}""", Payload, Secret)));
        Assert.Equal(JwtError.WrongAlgorithm, Verify(JwtForge.Hs256("""{"typ":"at+jwt","alg":"hs256"}""", Payload, Secret)));
        Assert.Equal(JwtError.WrongAlgorithm, Verify(JwtForge.Hs256("""{"typ":"at+jwt","alg":"HS512"}""", Payload, Secret)));
    }

    [Fact]
    public void AlgorithmSwapsAreRejected()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.K256);
        // ES256K token presented where HS256 is expected.
        Assert.Equal(JwtError.WrongAlgorithm, Verify(JwtForge.Ecdsa("""{"typ":"at+jwt","alg":"ES256K"}""", Payload, key)));
        // HS256 token presented where ECDSA is expected (classic "verify HMAC with the public key" confusion).
        string hs = JwtForge.Hs256("""{"typ":"JWT","alg":"HS256"}""", Payload, key.PublicKey.Compressed.ToArray());
        Assert.Equal(JwtError.WrongAlgorithm, Jwt.TryReadUnverified(hs, out _, out _, out _));
        Assert.Equal(JwtError.WrongAlgorithm, Jwt.VerifyEcdsaSignature(hs, key.PublicKey));
        // ES256 label on a K-256 signature, and the reverse.
        string mislabeled = JwtForge.Ecdsa("""{"typ":"JWT","alg":"ES256"}""", Payload, key);
        Assert.Equal(JwtError.WrongAlgorithm, Jwt.VerifyEcdsaSignature(mislabeled, key.PublicKey));
        using var p256 = PrivateKey.Generate(KeyAlgorithm.P256);
        string mislabeled2 = JwtForge.Ecdsa("""{"typ":"JWT","alg":"ES256K"}""", Payload, p256);
        Assert.Equal(JwtError.WrongAlgorithm, Jwt.VerifyEcdsaSignature(mislabeled2, p256.PublicKey));
    }

    [Fact]
    public void TypeMustMatch()
    {
        Assert.Equal(JwtError.WrongType, Verify(JwtForge.Hs256("""{"typ":"refresh+jwt","alg":"HS256"}""", Payload, Secret)));
        Assert.Equal(JwtError.WrongType, Verify(JwtForge.Hs256("""{"alg":"HS256"}""", Payload, Secret)));
        Assert.Equal(JwtError.WrongType, Verify(JwtForge.Hs256("""{"typ":"AT+JWT","alg":"HS256"}""", Payload, Secret)));
        Assert.Equal(JwtError.WrongType, Verify(JwtForge.Hs256(AccessHeader, Payload, Secret), JwtType.Refresh));
        Assert.Equal(JwtError.Malformed, Verify(JwtForge.Hs256("""{"typ":5,"alg":"HS256"}""", Payload, Secret)));
    }

    [Fact]
    public void TamperingIsDetected()
    {
        string token = JwtForge.Hs256(AccessHeader, Payload, Secret);
        string[] p = token.Split('.');
        string otherPayload = JwtForge.B64(Payload.Replace("alice", "mallory"));
        Assert.Equal(JwtError.BadSignature, Verify($"{p[0]}.{otherPayload}.{p[2]}"));
        // Flip one bit in the signature (first char keeps all 6 bits significant).
        char flipped = p[2][0] == 'A' ? 'B' : 'A';
        Assert.Equal(JwtError.BadSignature, Verify($"{p[0]}.{p[1]}.{flipped}{p[2][1..]}"));
        // Truncated / extended signature.
        Assert.Equal(JwtError.BadSignature, Verify($"{p[0]}.{p[1]}.{p[2][..^3]}"));
        Assert.NotEqual(JwtError.None, Verify($"{p[0]}.{p[1]}.{p[2][..^4]}"));
        Assert.Equal(JwtError.BadSignature, Verify($"{p[0]}.{p[1]}.{p[2]}AAAA"));
        // Wrong secret.
        Assert.Equal(JwtError.BadSignature, Jwt.TryVerifyHs256(token, "another-secret-0123456789"u8, JwtType.Access, out _));
        // Header swapped for an equivalent but differently spelled one: signing input changes.
        Assert.Equal(JwtError.BadSignature, Verify($"{JwtForge.B64("""{"alg":"HS256","typ":"at+jwt"}""")}.{p[1]}.{p[2]}"));
    }

    [Fact]
    public void EcdsaTamperingIsDetected()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.K256);
        string token = JwtForge.Ecdsa("""{"typ":"JWT","alg":"ES256K"}""", Payload, key);
        string[] p = token.Split('.');
        Assert.Equal(JwtError.BadSignature, Jwt.VerifyEcdsaSignature($"{p[0]}.{JwtForge.B64(Payload + " ")}.{p[2]}", key.PublicKey));
        char flipped = p[2][5] == 'A' ? 'B' : 'A';
        Assert.Equal(JwtError.BadSignature, Jwt.VerifyEcdsaSignature($"{p[0]}.{p[1]}.{p[2][..5]}{flipped}{p[2][6..]}", key.PublicKey));
        Assert.NotEqual(JwtError.None, Jwt.VerifyEcdsaSignature($"{p[0]}.{p[1]}.{p[2][..^3]}", key.PublicKey));
    }

    [Fact]
    public void TooLongIsRejectedBeforeParsing()
    {
        string big = new('A', Jwt.MaxTokenLength + 1);
        Assert.Equal(JwtError.TooLong, Verify(big));
        string pad = new('x', 7000);
        string payload = $$"""{"pad":"{{pad}}","sub":"did:plc:a","exp":1}""";
        Assert.Equal(JwtError.TooLong, Verify(JwtForge.Hs256(AccessHeader, payload, Secret)));
        // Just under the bound still works (pooled-buffer path).
        string fits = $$"""{"pad":"{{new string('x', 5000)}}","sub":"did:plc:a","exp":1}""";
        Assert.Equal(JwtError.None, Verify(JwtForge.Hs256(AccessHeader, fits, Secret)));
        Assert.Throws<JwtException>(() => Jwt.SignHs256(Secret, JwtType.Access, new JwtClaims { Jti = pad, Exp = 1 }));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9..sig")]
    [InlineData(".eyJhbGciOiJIUzI1NiJ9.sig")]
    public void StructuralGarbageIsMalformed(string token) => Assert.Equal(JwtError.Malformed, Verify(token));

    [Fact]
    public void ExtraDotsAndSegmentsAreRejected()
    {
        string token = JwtForge.Hs256(AccessHeader, Payload, Secret);
        Assert.Equal(JwtError.Malformed, Verify(token + "."));
        Assert.Equal(JwtError.Malformed, Verify(token + ".AAAA"));
        Assert.Equal(JwtError.Malformed, Verify("." + token));
        Assert.Equal(JwtError.Malformed, Verify(token.Replace(".", "..")));
        Assert.Equal(JwtError.Malformed, Verify(" " + token));
        Assert.Equal(JwtError.Malformed, Verify(token + "\n"));
    }

    [Fact]
    public void NonCanonicalBase64IsRejected()
    {
        string token = JwtForge.Hs256(AccessHeader, Payload, Secret);
        string[] p = token.Split('.');
        // Padding, standard-alphabet characters, whitespace, an impossible length.
        Assert.Equal(JwtError.Malformed, Verify($"{p[0]}=.{p[1]}.{p[2]}"));
        Assert.Equal(JwtError.Malformed, Verify($"{p[0]}.{p[1]}.{p[2]}="));
        Assert.Equal(JwtError.Malformed, Verify($"{p[0]}.{p[1]}+.{p[2]}"));
        Assert.Equal(JwtError.Malformed, Verify($"{p[0]}.{p[1][..4]} {p[1][4..]}.{p[2]}"));
        string oddLength = p[1];
        while (oddLength.Length % 4 != 1)
            oddLength += "A";
        Assert.Equal(JwtError.Malformed, Verify($"{p[0]}.{oddLength}.{p[2]}"));
        // Same bytes, non-zero unused trailing bits: a second spelling of the signature must not verify.
        // 32-byte HMAC → 43 chars, last char carries 4 significant bits + 2 unused bits.
        char last = p[2][^1];
        string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char respelled = alphabet[alphabet.IndexOf(last) | 1];
        Assert.NotEqual(last, respelled);
        Assert.Equal(JwtError.Malformed, Verify($"{p[0]}.{p[1]}.{p[2][..^1]}{respelled}"));
    }

    [Fact]
    public void EveryPrefixIsRejected()
    {
        string token = JwtForge.Hs256(AccessHeader, Payload, Secret);
        for (int i = 0; i < token.Length; i++)
            Assert.NotEqual(JwtError.None, Verify(token[..i]));
        using var key = PrivateKey.Generate(KeyAlgorithm.K256);
        string es = JwtForge.Ecdsa("""{"typ":"JWT","alg":"ES256K"}""", Payload, key);
        for (int i = 0; i < es.Length; i++)
            Assert.NotEqual(JwtError.None, Jwt.VerifyEcdsaSignature(es.AsSpan(0, i), key.PublicKey));
    }

    [Theory]
    [InlineData("""{"typ":"at+jwt","alg":"HS256","alg":"HS256"}""", JwtError.Malformed)]
    [InlineData("""{"typ":"at+jwt","typ":"at+jwt","alg":"HS256"}""", JwtError.Malformed)]
    [InlineData("""{"typ":"at+jwt","alg":"HS256","crit":["exp"]}""", JwtError.UnsupportedHeader)]
    [InlineData("""{"typ":"at+jwt","alg":"HS256"} """, JwtError.None)]
    [InlineData("""{"typ":"at+jwt","alg":"HS256"}{}""", JwtError.Malformed)]
    [InlineData("""{"typ":"at+jwt","alg":"HS256",}""", JwtError.Malformed)]
    [InlineData("""["at+jwt","HS256"]""", JwtError.Malformed)]
    [InlineData("""{"typ":"at+jwt","alg":"HS256","kid":{"a":[1,2,{"b":null}]}}""", JwtError.None)]
    [InlineData("""{"typ":"at+jwt","alg":"HS256","x":[[[[[[[[[[[[1]]]]]]]]]]]]}""", JwtError.Malformed)]
    [InlineData("""{"typ":"at+jwt","alg":"HS\u0032\u0035\u0036"}""", JwtError.None)]
    [InlineData("\"HS256\"", JwtError.Malformed)]
    [InlineData("{", JwtError.Malformed)]
    public void HeaderShapes(string header, JwtError expected) =>
        Assert.Equal(expected, Verify(JwtForge.Hs256(header, Payload, Secret)));

    [Theory]
    [InlineData("""{"sub":"did:plc:a","sub":"did:plc:b","exp":1}""", JwtError.Malformed)]
    [InlineData("""{"aud":["did:web:a"],"exp":1}""", JwtError.Malformed)]
    [InlineData("""{"exp":"1700000000"}""", JwtError.Malformed)]
    [InlineData("""{"exp":1.5}""", JwtError.Malformed)]
    [InlineData("""{"exp":1e3}""", JwtError.Malformed)]
    [InlineData("""{"exp":99999999999999999999}""", JwtError.Malformed)]
    [InlineData("""{"exp":1} x""", JwtError.Malformed)]
    [InlineData("""{"scope":1}""", JwtError.Malformed)]
    [InlineData("""{"other":{"deep":[1,2,3]},"exp":1}""", JwtError.None)]
    [InlineData("""{"lxm":null,"exp":1}""", JwtError.None)]
    [InlineData("""{"sub":"\uD800"}""", JwtError.Malformed)]
    [InlineData("""[]""", JwtError.Malformed)]
    [InlineData("""{"a":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}""", JwtError.Malformed)]
    public void ClaimShapes(string payload, JwtError expected) =>
        Assert.Equal(expected, Verify(JwtForge.Hs256(AccessHeader, payload, Secret)));

    [Fact]
    public void InvalidUtf8InPayloadIsMalformed()
    {
        byte[] bad = [.. "{\"sub\":\""u8, 0xC3, 0x28, .. "\",\"exp\":1}"u8];
        string input = JwtForge.B64(AccessHeader) + "." + System.Buffers.Text.Base64Url.EncodeToString(bad);
        string token = input + "." + System.Buffers.Text.Base64Url.EncodeToString(
            System.Security.Cryptography.HMACSHA256.HashData(Secret, Encoding.ASCII.GetBytes(input)));
        Assert.Equal(JwtError.Malformed, Verify(token));
    }

    [Fact]
    public void UnknownScopeIsKeptAsString()
    {
        Assert.Equal(JwtError.None, Jwt.TryVerifyHs256(
            JwtForge.Hs256(AccessHeader, """{"scope":"com.atproto.other","exp":1}""", Secret), Secret, JwtType.Access, out var c));
        Assert.Equal("com.atproto.other", c!.Scope);
        Assert.Equal(JwtError.None, Jwt.TryVerifyHs256(
            JwtForge.Hs256(AccessHeader, """{"scope":"com.atproto.\u0061ccess","exp":1}""", Secret), Secret, JwtType.Access, out c));
        Assert.Equal(AuthScope.Access, c!.Scope);
    }

    [Fact]
    public void CheckTimesUsesLeeway()
    {
        var c = new JwtClaims { Iat = 100, Exp = 200 };
        Assert.Equal(JwtError.None, c.CheckTimes(150, 0));
        Assert.Equal(JwtError.Expired, c.CheckTimes(200, 0));
        Assert.Equal(JwtError.None, c.CheckTimes(204, 5));
        Assert.Equal(JwtError.Expired, c.CheckTimes(205, 5));
        Assert.Equal(JwtError.NotYetValid, c.CheckTimes(99, 0));
        Assert.Equal(JwtError.None, c.CheckTimes(95, 5));
        Assert.Equal(JwtError.NotYetValid, new JwtClaims { Nbf = 300, Exp = 400 }.CheckTimes(250, 10));
        Assert.Equal(JwtError.MissingClaim, new JwtClaims().CheckTimes(0, 0));
    }

    [Fact]
    public void SigningRejectsTypesWeDoNotIssue()
    {
        Assert.Throws<ArgumentException>(() => Jwt.SignHs256(Secret, JwtType.DPoP, new JwtClaims()));
        Assert.Throws<ArgumentException>(() => Jwt.SignHs256([], JwtType.Access, new JwtClaims()));
        using var key = PrivateKey.Generate(KeyAlgorithm.K256);
        Assert.Throws<ArgumentException>(() => Jwt.SignEcdsa(key, JwtType.Access, new JwtClaims()));
    }
}
