using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Alteran.Protocol.Crypto;

namespace Alteran.Net.Auth;

/// <summary>
/// Compact JWS (RFC 7515) for the two token families a PDS handles: HS256 session tokens and ES256K/ES256
/// service-auth tokens. Decoding is strict: exactly three canonical base64url segments, a bounded length, a header
/// whose <c>alg</c> and <c>typ</c> the caller pins, and the signature checked before the payload is parsed
/// (HS256; for ECDSA the issuer in the payload selects the key, so the payload is parsed first, read-only).
/// </summary>
[System.Runtime.CompilerServices.SkipLocalsInit]
public static class Jwt
{
    /// <summary>Longest token accepted; real atproto tokens are 250–600 characters.</summary>
    public const int MaxTokenLength = 8 * 1024;

    /// <summary>Longest base64url header segment accepted (ours are ~50 characters).</summary>
    private const int MaxHeaderChars = 1024;

    /// <summary>Buffers up to this size live on the stack; larger ones (up to the token bound) are pooled.</summary>
    private const int StackLimit = 2048;

    private const int HmacLength = 32;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 8 };

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Keeps '+' and other ASCII punctuation literal; all values we write are DIDs, NSIDs and scope names.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    // ---------------------------------------------------------------- signing

    /// <summary>Signs <paramref name="claims"/> with HMAC-SHA256 under <paramref name="secret"/>.</summary>
    public static string SignHs256(ReadOnlySpan<byte> secret, JwtType type, JwtClaims claims)
    {
        if (secret.IsEmpty)
            throw new ArgumentException("The HMAC secret must not be empty.", nameof(secret));
        return Sign(JwtAlgorithm.HS256, type, claims, secret, null);
    }

    /// <summary>Signs <paramref name="claims"/> with an ECDSA key; <c>alg</c> follows the key's curve.</summary>
    public static string SignEcdsa(PrivateKey key, JwtType type, JwtClaims claims)
    {
        ArgumentNullException.ThrowIfNull(key);
        var alg = key.Algorithm == KeyAlgorithm.K256 ? JwtAlgorithm.ES256K : JwtAlgorithm.ES256;
        return Sign(alg, type, claims, default, key);
    }

    private static string Sign(JwtAlgorithm alg, JwtType type, JwtClaims claims, ReadOnlySpan<byte> secret, PrivateKey? key)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var json = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(json, WriterOptions))
            WriteClaims(writer, claims);
        ReadOnlySpan<byte> header = HeaderJson(alg, type);
        ReadOnlySpan<byte> payload = json.WrittenSpan;

        int headerLength = Base64Url.GetEncodedLength(header.Length);
        int inputLength = headerLength + 1 + Base64Url.GetEncodedLength(payload.Length);
        int sigLength = alg == JwtAlgorithm.HS256 ? HmacLength : PublicKey.SignatureLength;
        int total = inputLength + 1 + Base64Url.GetEncodedLength(sigLength);
        if (total > MaxTokenLength)
            throw new JwtException(JwtError.TooLong, $"The token would be {total} characters; the limit is {MaxTokenLength}.");

        byte[] buffer = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            Span<byte> text = buffer.AsSpan(0, total);
            Base64Url.EncodeToUtf8(header, text);
            text[headerLength] = (byte)'.';
            Base64Url.EncodeToUtf8(payload, text[(headerLength + 1)..]);
            text[inputLength] = (byte)'.';
            Span<byte> signature = stackalloc byte[sigLength];
            if (key is null)
                HMACSHA256.HashData(secret, text[..inputLength], signature);
            else
                key.Sign(text[..inputLength], signature);
            Base64Url.EncodeToUtf8(signature, text[(inputLength + 1)..]);
            return Encoding.ASCII.GetString(text);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ReadOnlySpan<byte> HeaderJson(JwtAlgorithm alg, JwtType type) => (alg, type) switch
    {
        (JwtAlgorithm.HS256, JwtType.Access) => """{"typ":"at+jwt","alg":"HS256"}"""u8,
        (JwtAlgorithm.HS256, JwtType.Refresh) => """{"typ":"refresh+jwt","alg":"HS256"}"""u8,
        (JwtAlgorithm.HS256, JwtType.Jwt) => """{"typ":"JWT","alg":"HS256"}"""u8,
        (JwtAlgorithm.ES256K, JwtType.Jwt) => """{"typ":"JWT","alg":"ES256K"}"""u8,
        (JwtAlgorithm.ES256, JwtType.Jwt) => """{"typ":"JWT","alg":"ES256"}"""u8,
        _ => throw new ArgumentException($"We do not issue {alg} tokens with typ {type}.", nameof(type)),
    };

    private static void WriteClaims(Utf8JsonWriter w, JwtClaims c)
    {
        w.WriteStartObject();
        if (c.Scope is not null) w.WriteString("scope"u8, c.Scope);
        if (c.Iss is not null) w.WriteString("iss"u8, c.Iss);
        if (c.Aud is not null) w.WriteString("aud"u8, c.Aud);
        if (c.Sub is not null) w.WriteString("sub"u8, c.Sub);
        if (c.Lxm is not null) w.WriteString("lxm"u8, c.Lxm);
        if (c.Jti is not null) w.WriteString("jti"u8, c.Jti);
        if (c.Iat is { } iat) w.WriteNumber("iat"u8, iat);
        if (c.Nbf is { } nbf) w.WriteNumber("nbf"u8, nbf);
        if (c.Exp is { } exp) w.WriteNumber("exp"u8, exp);
        w.WriteEndObject();
    }

    // ---------------------------------------------------------------- verifying

    /// <summary>
    /// Verifies an HS256 token whose header must say <c>alg: HS256</c> and <c>typ</c> = <paramref name="expectedType"/>,
    /// then parses its claims. Times, audience and scope are the caller's to check (see <see cref="SessionTokens"/>).
    /// </summary>
    public static JwtError TryVerifyHs256(ReadOnlySpan<char> token, ReadOnlySpan<byte> secret, JwtType expectedType, out JwtClaims? claims) =>
        TryVerifyHs256(token, secret, expectedType, null, out claims);

    /// <summary>
    /// As above; an <c>aud</c> equal to <paramref name="knownAudience"/> is returned as that very instance (saves
    /// an allocation per request when the caller compares against its own DID anyway).
    /// </summary>
    internal static JwtError TryVerifyHs256(ReadOnlySpan<char> token, ReadOnlySpan<byte> secret, JwtType expectedType, string? knownAudience, out JwtClaims? claims)
    {
        claims = null;
        var error = TryReadHeader(token, out var alg, out var type, out int dot1, out int dot2);
        if (error != JwtError.None)
            return error;
        if (alg != JwtAlgorithm.HS256)
            return JwtError.WrongAlgorithm;
        if (type != expectedType)
            return JwtError.WrongType;

        Span<byte> signature = stackalloc byte[HmacLength];
        if (!Base64UrlStrict.TryDecode(token[(dot2 + 1)..], signature))
            return JwtError.BadSignature;

        ReadOnlySpan<char> signingInput = token[..dot2];
        byte[]? rented = null;
        Span<byte> input = signingInput.Length <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(signingInput.Length));
        try
        {
            // TryReadHeader validated every character as base64url or '.', so this narrowing is exact.
            Ascii.FromUtf16(signingInput, input, out int written);
            Span<byte> expected = stackalloc byte[HmacLength];
            HMACSHA256.HashData(secret, input[..written], expected);
            if (!CryptographicOperations.FixedTimeEquals(expected, signature))
                return JwtError.BadSignature;
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }

        return TryReadClaims(token[(dot1 + 1)..dot2], knownAudience, out claims);
    }

    /// <summary>
    /// Reads header and claims of an ECDSA-signed token <em>without</em> checking the signature, so the caller can
    /// find the issuer's key; follow with <see cref="VerifyEcdsaSignature"/>. <c>alg</c> must be ES256K or ES256.
    /// </summary>
    public static JwtError TryReadUnverified(ReadOnlySpan<char> token, out JwtAlgorithm algorithm, out JwtType type, out JwtClaims? claims)
    {
        claims = null;
        var error = TryReadHeader(token, out algorithm, out type, out int dot1, out int dot2);
        if (error != JwtError.None)
            return error;
        if (algorithm is not (JwtAlgorithm.ES256K or JwtAlgorithm.ES256))
            return JwtError.WrongAlgorithm;
        return TryReadClaims(token[(dot1 + 1)..dot2], null, out claims);
    }

    /// <summary>
    /// Checks the signature of a token against <paramref name="key"/>. The header <c>alg</c> must match the key's
    /// curve (no ES256/ES256K confusion); the signature must be 64-byte low-S r‖s.
    /// </summary>
    public static JwtError VerifyEcdsaSignature(ReadOnlySpan<char> token, PublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var error = TryReadHeader(token, out var alg, out _, out _, out int dot2);
        if (error != JwtError.None)
            return error;
        var keyAlg = key.Algorithm == KeyAlgorithm.K256 ? JwtAlgorithm.ES256K : JwtAlgorithm.ES256;
        if (alg != keyAlg)
            return JwtError.WrongAlgorithm;

        Span<byte> signature = stackalloc byte[PublicKey.SignatureLength];
        if (!Base64UrlStrict.TryDecode(token[(dot2 + 1)..], signature))
            return JwtError.BadSignature;

        ReadOnlySpan<char> signingInput = token[..dot2];
        byte[]? rented = null;
        Span<byte> input = signingInput.Length <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(signingInput.Length));
        try
        {
            Ascii.FromUtf16(signingInput, input, out int written);
            return key.Verify(input[..written], signature) ? JwtError.None : JwtError.BadSignature;
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    // ---------------------------------------------------------------- parsing

    /// <summary>Splits the token, validates all three segments as canonical base64url and parses the header.</summary>
    private static JwtError TryReadHeader(ReadOnlySpan<char> token, out JwtAlgorithm alg, out JwtType type, out int dot1, out int dot2)
    {
        alg = default;
        type = JwtType.Missing;
        dot1 = dot2 = -1;
        if (token.Length > MaxTokenLength)
            return JwtError.TooLong;
        dot1 = token.IndexOf('.');
        if (dot1 <= 0)
            return JwtError.Malformed;
        int rel = token[(dot1 + 1)..].IndexOf('.');
        if (rel <= 0)
            return JwtError.Malformed;
        dot2 = dot1 + 1 + rel;
        if (dot2 == token.Length - 1 || token[(dot2 + 1)..].Contains('.'))
            return JwtError.Malformed;

        ReadOnlySpan<char> headerText = token[..dot1];
        if (headerText.Length > MaxHeaderChars
            || !Base64UrlStrict.IsValid(token[(dot1 + 1)..dot2])
            || !Base64UrlStrict.IsValid(token[(dot2 + 1)..]))
            return JwtError.Malformed;

        Span<byte> header = stackalloc byte[Base64UrlStrict.DecodedLength(headerText.Length)];
        if (!Base64UrlStrict.TryDecode(headerText, header))
            return JwtError.Malformed;
        return ParseHeader(header, out alg, out type);
    }

    private static JwtError ParseHeader(ReadOnlySpan<byte> json, out JwtAlgorithm alg, out JwtType type)
    {
        alg = default;
        type = JwtType.Missing;
        bool seenAlg = false, seenTyp = false, knownAlg = false, crit = false;
        try
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return JwtError.Malformed;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("alg"u8))
                {
                    if (seenAlg || !reader.Read() || reader.TokenType != JsonTokenType.String)
                        return JwtError.Malformed;
                    seenAlg = true;
                    knownAlg = true;
                    if (reader.ValueTextEquals("HS256"u8)) alg = JwtAlgorithm.HS256;
                    else if (reader.ValueTextEquals("ES256K"u8)) alg = JwtAlgorithm.ES256K;
                    else if (reader.ValueTextEquals("ES256"u8)) alg = JwtAlgorithm.ES256;
                    else knownAlg = false;
                }
                else if (reader.ValueTextEquals("typ"u8))
                {
                    if (seenTyp || !reader.Read() || reader.TokenType != JsonTokenType.String)
                        return JwtError.Malformed;
                    seenTyp = true;
                    type = reader.ValueTextEquals("at+jwt"u8) ? JwtType.Access
                        : reader.ValueTextEquals("refresh+jwt"u8) ? JwtType.Refresh
                        : reader.ValueTextEquals("JWT"u8) ? JwtType.Jwt
                        : reader.ValueTextEquals("dpop+jwt"u8) ? JwtType.DPoP
                        : JwtType.Other;
                }
                else
                {
                    // RFC 7515 §4.1.11: a recipient that does not understand a "crit" extension must reject.
                    if (reader.ValueTextEquals("crit"u8))
                        crit = true;
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                return JwtError.Malformed;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return JwtError.Malformed;
        }
        if (!knownAlg)
            return JwtError.WrongAlgorithm;
        return crit ? JwtError.UnsupportedHeader : JwtError.None;
    }

    private static JwtError TryReadClaims(ReadOnlySpan<char> payloadText, string? knownAudience, out JwtClaims? claims)
    {
        claims = null;
        int length = Base64UrlStrict.DecodedLength(payloadText.Length);
        byte[]? rented = null;
        Span<byte> payload = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            payload = payload[..length];
            if (!Base64UrlStrict.TryDecode(payloadText, payload))
                return JwtError.Malformed;
            return ParseClaims(payload, knownAudience, out claims);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static JwtError ParseClaims(ReadOnlySpan<byte> json, string? knownAudience, out JwtClaims? result)
    {
        result = null;
        var claims = new JwtClaims();
        int seen = 0;
        try
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return JwtError.Malformed;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                int bit = reader.ValueTextEquals("iss"u8) ? 1
                    : reader.ValueTextEquals("sub"u8) ? 2
                    : reader.ValueTextEquals("aud"u8) ? 4
                    : reader.ValueTextEquals("scope"u8) ? 8
                    : reader.ValueTextEquals("lxm"u8) ? 16
                    : reader.ValueTextEquals("jti"u8) ? 32
                    : reader.ValueTextEquals("iat"u8) ? 64
                    : reader.ValueTextEquals("nbf"u8) ? 128
                    : reader.ValueTextEquals("exp"u8) ? 256
                    : 0;
                if (bit == 0)
                {
                    reader.Skip();
                    continue;
                }
                if ((seen & bit) != 0 || !reader.Read())
                    return JwtError.Malformed;
                seen |= bit;
                if (reader.TokenType == JsonTokenType.Null)
                    continue; // an explicit null is the same as an absent claim
                if (bit >= 64)
                {
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long n))
                        return JwtError.Malformed;
                    if (bit == 64) claims.Iat = n;
                    else if (bit == 128) claims.Nbf = n;
                    else claims.Exp = n;
                    continue;
                }
                if (reader.TokenType != JsonTokenType.String)
                    return JwtError.Malformed;
                switch (bit)
                {
                    case 1: claims.Iss = reader.GetString(); break;
                    case 2: claims.Sub = reader.GetString(); break;
                    case 4:
                        claims.Aud = knownAudience is not null && reader.ValueTextEquals(knownAudience) ? knownAudience : reader.GetString();
                        break;
                    case 8:
                        claims.Scope = (reader.ValueIsEscaped ? null : AuthScope.Intern(reader.ValueSpan)) ?? reader.GetString();
                        break;
                    case 16: claims.Lxm = reader.GetString(); break;
                    default: claims.Jti = reader.GetString(); break;
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                return JwtError.Malformed;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return JwtError.Malformed;
        }
        result = claims;
        return JwtError.None;
    }
}
