using System.Reflection;
using Alteran.Net.Http;

namespace Alteran.Net.Xrpc;

/// <summary>
/// Routes every server has: <c>GET /xrpc/_health</c> (<c>{"version":…}</c>, as the reference PDS), <c>/health</c>
/// (process is up) and <c>/ready</c> (503 while any <see cref="IReadinessCheck"/> fails or the server is stopping).
/// </summary>
public static class BuiltInRoutes
{
    /// <summary>Server version reported by <c>_health</c>.</summary>
    public static string Version { get; } =
        typeof(BuiltInRoutes).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static readonly HealthResponse s_health = new(Version);
    private static readonly StatusResponse s_ok = new("ok");
    private static readonly StatusResponse s_ready = new("ready");

    /// <summary>Registers the built-in routes on <paramref name="router"/>.</summary>
    public static void Register(XrpcRouter router, IReadOnlyList<IReadinessCheck> readinessChecks)
    {
        router.MapBuiltIn("_health", XrpcMethodKind.Query, static context =>
        {
            context.Response.WriteJson(s_health, XrpcJsonContext.Default.HealthResponse);
            return ValueTask.CompletedTask;
        });

        router.MapPath("/health", XrpcMethodKind.Query, static context =>
        {
            context.Response.WriteJson(s_ok, XrpcJsonContext.Default.StatusResponse);
            return ValueTask.CompletedTask;
        });

        router.MapPath("/ready", XrpcMethodKind.Query, context =>
        {
            List<string>? failing = null;
            foreach (IReadinessCheck check in readinessChecks)
            {
                bool ready;
                try
                {
                    ready = check.IsReady();
                }
                catch (Exception)
                {
                    ready = false;
                }

                if (!ready)
                {
                    (failing ??= []).Add(check.Name);
                }
            }

            if (context.IsShuttingDown)
            {
                (failing ??= []).Add("shutdown");
            }

            if (failing is null)
            {
                context.Response.WriteJson(s_ready, XrpcJsonContext.Default.StatusResponse);
            }
            else
            {
                context.Response.StatusCode = 503;
                context.Response.WriteJson(new StatusResponse("unavailable", failing), XrpcJsonContext.Default.StatusResponse);
            }

            return ValueTask.CompletedTask;
        });
    }
}
