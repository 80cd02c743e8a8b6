using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Alteran.Net.Tests.Http;

public class TlsTests
{
    [Fact]
    public async Task ServesHttpsWithASelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));

        await using var server = new TestServer(HttpServerTests.TestRoutes, o => o.Certificate = certificate);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, server.Port);
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), false,
            (_, cert, _, _) => cert is not null && cert.GetCertHash().AsSpan().SequenceEqual(certificate.GetCertHash()));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        });
        Assert.Equal(SslApplicationProtocol.Http11, ssl.NegotiatedApplicationProtocol);

        using var client = new RawClient(socket, ssl);
        for (int i = 0; i < 2; i++)
        {
            await client.SendAsync("GET /xrpc/_health HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawResponse r = await client.ReadResponseAsync();
            Assert.Equal(200, r.Status);
            Assert.Contains("version", r.Text);
        }

        await client.SendAsync("POST /xrpc/com.example.echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        Assert.Equal("abc", (await client.ReadResponseAsync()).Text);
    }

    [Fact]
    public async Task PlainHttpToATlsListenerIsDropped()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 certificate = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        await using var server = new TestServer(HttpServerTests.TestRoutes, o => o.Certificate = certificate);
        using RawClient client = await server.ConnectAsync();
        await client.SendAsync("GET /xrpc/_health HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.True(await client.IsClosedByServerAsync());
        Assert.Equal(0, await WaitForNoConnectionsAsync(server));
    }

    internal static async Task<int> WaitForNoConnectionsAsync(TestServer server)
    {
        for (int i = 0; i < 100 && server.Server.ConnectionCount > 0; i++)
        {
            await Task.Delay(50);
        }

        return server.Server.ConnectionCount;
    }
}
