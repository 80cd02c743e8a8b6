namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>The <c>input</c> or <c>output</c> body of a query or procedure, or a subscription <c>message</c>.</summary>
public sealed class LexXrpcBody
{
    internal LexXrpcBody(string? description, string? encoding, LexSchema? schema)
    {
        Description = description;
        Encoding = encoding;
        Schema = schema;
    }

    /// <summary>The optional description.</summary>
    public string? Description { get; }

    /// <summary>The MIME type (e.g. <c>application/json</c>, <c>*/*</c>); null for a subscription message.</summary>
    public string? Encoding { get; }

    /// <summary>The body schema (object, ref or union), when the body is JSON.</summary>
    public LexSchema? Schema { get; }
}
