using System.Net;
using System.Text;

namespace Alteran.Load;

/// <summary>The server under test: a loopback endpoint and the request bytes to send. Anything else is refused.</summary>
internal sealed class LoadTarget
{
    private LoadTarget(IPEndPoint endPoint, byte[] request, string display)
    {
        EndPoint = endPoint;
        Request = request;
        Display = display;
    }

    public IPEndPoint EndPoint { get; }

    public byte[] Request { get; }

    public string Display { get; }

    public static LoadTarget Parse(string url)
    {
        var uri = new Uri(url);
        if (uri.Scheme != "http")
        {
            throw new ArgumentException("Only http:// targets are supported.");
        }

        IPAddress address = uri.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(uri.Host.Trim('[', ']'));
        if (!IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"Refusing non-loopback target {uri.Host}: this tool only loads 127.0.0.1 / ::1.");
        }

        byte[] request = Encoding.ASCII.GetBytes($"GET {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nAccept: application/json\r\n\r\n");
        return new LoadTarget(new IPEndPoint(address, uri.Port), request, url);
    }
}
