namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>
/// A <c>query</c>, <c>procedure</c> or <c>subscription</c> definition: parameters, bodies and declared error names.
/// </summary>
public sealed class LexXrpcMethod : LexSchema
{
    internal LexXrpcMethod(
        LexType type, string? description, LexParams? parameters, LexXrpcBody? input, LexXrpcBody? output,
        LexXrpcBody? message, string[] errors)
        : base(description)
    {
        Type = type;
        Parameters = parameters;
        Input = input;
        Output = output;
        Message = message;
        Errors = errors;
    }

    /// <inheritdoc/>
    public override LexType Type { get; }

    /// <summary>The query-string parameters.</summary>
    public LexParams? Parameters { get; }

    /// <summary>The request body (procedures).</summary>
    public LexXrpcBody? Input { get; }

    /// <summary>The response body (queries, procedures).</summary>
    public LexXrpcBody? Output { get; }

    /// <summary>The message schema (subscriptions).</summary>
    public LexXrpcBody? Message { get; }

    /// <summary>The declared error names.</summary>
    public IReadOnlyList<string> Errors { get; }
}
