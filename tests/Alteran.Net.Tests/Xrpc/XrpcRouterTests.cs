using System.Text;
using Alteran.Net.Http;
using Alteran.Net.Xrpc;

namespace Alteran.Net.Tests.Xrpc;

public class XrpcRouterTests
{
    private static ValueTask Nothing(HttpContext context) => ValueTask.CompletedTask;

    [Fact]
    public void FindsEveryRegisteredRouteByBytesAndNothingElse()
    {
        var router = new XrpcRouter();
        var names = new List<string>();
        for (int i = 0; i < 300; i++)
        {
            string nsid = $"com.atproto.test{i % 17}.method{i}";
            names.Add(nsid);
            if (i % 3 == 0)
            {
                router.MapProcedure(nsid, Nothing, maxBodyBytes: i);
            }
            else
            {
                router.MapQuery(nsid, Nothing);
            }
        }

        router.MapPath("/.well-known/atproto-did", XrpcMethodKind.Query, Nothing);
        router.Freeze();
        for (int i = 0; i < names.Count; i++)
        {
            XrpcRoute? route = router.FindMethod(Encoding.ASCII.GetBytes(names[i]));
            Assert.NotNull(route);
            Assert.Equal(names[i], route.Name);
            Assert.Equal(i % 3 == 0 ? XrpcMethodKind.Procedure : XrpcMethodKind.Query, route.Kind);
        }

        Assert.Null(router.FindMethod("com.atproto.test0.method1"u8));
        Assert.Null(router.FindMethod("com.atproto.test0.method0x"u8));
        Assert.Null(router.FindMethod(""u8));
        Assert.Null(router.FindPath("/.well-known/atproto-di"u8));
        Assert.NotNull(router.FindPath("/.well-known/atproto-did"u8));
        Assert.Null(router.FindMethod("/.well-known/atproto-did"u8));
    }

    [Fact]
    public void RejectsBadRegistrations()
    {
        var router = new XrpcRouter();
        Assert.Throws<ArgumentException>(() => router.MapQuery("not an nsid", Nothing));
        Assert.Throws<ArgumentException>(() => router.MapQuery("com.example", Nothing));
        Assert.Throws<ArgumentException>(() => router.MapPath("/xrpc/com.example.x", XrpcMethodKind.Query, Nothing));
        router.MapQuery("com.example.once", Nothing);
        Assert.Throws<ArgumentException>(() => router.MapProcedure("com.example.once", Nothing));
        router.Freeze();
        Assert.Throws<InvalidOperationException>(() => router.MapQuery("com.example.late", Nothing));
    }

    [Fact]
    public void MethodRulesPerKind()
    {
        var router = new XrpcRouter();
        router.MapQuery("com.example.q", Nothing).MapProcedure("com.example.p", Nothing).MapSubscription("com.example.s", Nothing);
        router.Freeze();
        XrpcRoute q = router.FindMethod("com.example.q"u8)!, p = router.FindMethod("com.example.p"u8)!, s = router.FindMethod("com.example.s"u8)!;
        Assert.True(q.Allows(Alteran.Net.Http.HttpMethod.Get) && q.Allows(Alteran.Net.Http.HttpMethod.Head) && !q.Allows(Alteran.Net.Http.HttpMethod.Post));
        Assert.True(p.Allows(Alteran.Net.Http.HttpMethod.Post) && !p.Allows(Alteran.Net.Http.HttpMethod.Get));
        Assert.True(s.Allows(Alteran.Net.Http.HttpMethod.Get) && !s.Allows(Alteran.Net.Http.HttpMethod.Head));
    }
}
