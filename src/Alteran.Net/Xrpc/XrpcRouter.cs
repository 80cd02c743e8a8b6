using Alteran.Protocol.Syntax;

namespace Alteran.Net.Xrpc;

/// <summary>
/// Route table: XRPC methods by NSID bytes and plain paths by path bytes, looked up without allocating (an
/// open-addressing table keyed by FNV-1a of the bytes, then an exact byte comparison). Register everything, then
/// <see cref="Freeze"/> (the server does so at start); registering afterwards throws.
/// </summary>
public sealed class XrpcRouter
{
    private readonly List<XrpcRoute> _routes = [];
    private XrpcRoute?[] _xrpcTable = [];
    private XrpcRoute?[] _pathTable = [];
    private bool _frozen;

    /// <summary>All routes, in registration order.</summary>
    public IReadOnlyList<XrpcRoute> Routes => _routes;

    /// <summary>Registers a query (GET/HEAD) for <paramref name="nsid"/>.</summary>
    public XrpcRouter MapQuery(string nsid, RequestHandler handler) => Map(nsid, XrpcMethodKind.Query, handler, null);

    /// <summary>Registers a procedure (POST) for <paramref name="nsid"/> with an optional body limit.</summary>
    public XrpcRouter MapProcedure(string nsid, RequestHandler handler, long? maxBodyBytes = null)
        => Map(nsid, XrpcMethodKind.Procedure, handler, maxBodyBytes);

    /// <summary>Registers a subscription (GET + WebSocket upgrade) for <paramref name="nsid"/>.</summary>
    public XrpcRouter MapSubscription(string nsid, RequestHandler handler) => Map(nsid, XrpcMethodKind.Subscription, handler, null);

    /// <summary>Registers an XRPC method.</summary>
    public XrpcRouter Map(string nsid, XrpcMethodKind kind, RequestHandler handler, long? maxBodyBytes)
    {
        if (!IsPlausibleNsid(nsid))
        {
            throw new ArgumentException($"Not an NSID: '{nsid}'", nameof(nsid));
        }

        return Add(new XrpcRoute(nsid, kind, handler, maxBodyBytes, isPath: false));
    }

    /// <summary>Registers a plain path such as <c>/.well-known/atproto-did</c> (Query = GET/HEAD, Procedure = POST).</summary>
    public XrpcRouter MapPath(string path, XrpcMethodKind kind, RequestHandler handler, long? maxBodyBytes = null)
    {
        if (!path.StartsWith('/') || path.StartsWith("/xrpc/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Not a plain path: '{path}'", nameof(path));
        }

        return Add(new XrpcRoute(path, kind, handler, maxBodyBytes, isPath: true));
    }

    private XrpcRouter Add(XrpcRoute route)
    {
        if (_frozen)
        {
            throw new InvalidOperationException("Routes cannot be added after the server has started.");
        }

        foreach (XrpcRoute existing in _routes)
        {
            if (existing.IsPath == route.IsPath && existing.Name == route.Name)
            {
                throw new ArgumentException($"Route '{route.Name}' is already registered.");
            }
        }

        _routes.Add(route);
        return this;
    }

    /// <summary>Builds the lookup tables; later registrations throw.</summary>
    public void Freeze()
    {
        if (_frozen)
        {
            return;
        }

        _frozen = true;
        _xrpcTable = Build(false);
        _pathTable = Build(true);
    }

    private XrpcRoute?[] Build(bool paths)
    {
        int count = 0;
        foreach (XrpcRoute r in _routes)
        {
            if (r.IsPath == paths)
            {
                count++;
            }
        }

        var table = new XrpcRoute?[Math.Max(8, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(count * 2 + 1)))];
        foreach (XrpcRoute r in _routes)
        {
            if (r.IsPath != paths)
            {
                continue;
            }

            int mask = table.Length - 1;
            int i = (int)(Hash(r.NameUtf8) & (uint)mask);
            while (table[i] is not null)
            {
                i = (i + 1) & mask;
            }

            table[i] = r;
        }

        return table;
    }

    /// <summary>Finds the XRPC route for <paramref name="nsid"/> (the bytes after <c>/xrpc/</c>).</summary>
    public XrpcRoute? FindMethod(ReadOnlySpan<byte> nsid) => Find(_xrpcTable, nsid);

    /// <summary>Finds the plain route for <paramref name="path"/>.</summary>
    public XrpcRoute? FindPath(ReadOnlySpan<byte> path) => Find(_pathTable, path);

    private static XrpcRoute? Find(XrpcRoute?[] table, ReadOnlySpan<byte> key)
    {
        if (table.Length == 0)
        {
            return null;
        }

        int mask = table.Length - 1;
        int i = (int)(Hash(key) & (uint)mask);
        while (true)
        {
            XrpcRoute? r = table[i];
            if (r is null)
            {
                return null;
            }

            if (key.SequenceEqual(r.NameUtf8))
            {
                return r;
            }

            i = (i + 1) & mask;
        }
    }

    private static uint Hash(ReadOnlySpan<byte> key)
    {
        uint h = 2166136261;
        foreach (byte b in key)
        {
            h = (h ^ b) * 16777619;
        }

        return h;
    }

    private static bool IsPlausibleNsid(string nsid) => Nsid.IsValid(nsid.AsSpan());

    /// <summary>Registers a built-in XRPC name that is not an NSID (<c>_health</c>).</summary>
    internal XrpcRouter MapBuiltIn(string name, XrpcMethodKind kind, RequestHandler handler)
        => Add(new XrpcRoute(name, kind, handler, null, isPath: false));
}
