using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Alteran.Protocol.Crypto;

namespace Alteran.Net.Tests.Auth;

/// <summary>Builds tokens by hand from raw JSON, independently of the code under test, to craft hostile inputs.</summary>
internal static class JwtForge
{
    public static string B64(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    public static string Hs256(string headerJson, string payloadJson, byte[] secret)
    {
        string input = B64(headerJson) + "." + B64(payloadJson);
        return input + "." + Base64Url.EncodeToString(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)));
    }

    public static string Ecdsa(string headerJson, string payloadJson, PrivateKey key)
    {
        string input = B64(headerJson) + "." + B64(payloadJson);
        return input + "." + Base64Url.EncodeToString(key.Sign(Encoding.ASCII.GetBytes(input)));
    }

    public static string Unsigned(string headerJson, string payloadJson, string signature = "") =>
        B64(headerJson) + "." + B64(payloadJson) + "." + signature;

    /// <summary>Decodes the payload segment (for assertions on what we emit).</summary>
    public static string Payload(string token) => Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[1]));

    public static string Header(string token) => Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[0]));
}
