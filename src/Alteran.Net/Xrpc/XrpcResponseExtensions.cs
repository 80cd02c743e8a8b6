using System.Text.Json;
using Alteran.Net.Http;

namespace Alteran.Net.Xrpc;

/// <summary>XRPC helpers on <see cref="HttpResponse"/>.</summary>
public static class XrpcResponseExtensions
{
    /// <summary>Writes <c>{"error":error,"message":message}</c> with <paramref name="status"/>.</summary>
    public static void WriteXrpcError(this HttpResponse response, int status, string error, string? message)
    {
        response.StatusCode = status;
        response.WriteJson((error, message), static (writer, state) => WriteErrorBody(writer, state.error, state.message));
    }

    /// <summary>Writes an XRPC error object.</summary>
    public static void WriteErrorBody(Utf8JsonWriter writer, string error, string? message)
    {
        writer.WriteStartObject();
        writer.WriteString("error"u8, error);
        if (message is not null)
        {
            writer.WriteString("message"u8, message);
        }

        writer.WriteEndObject();
    }
}
