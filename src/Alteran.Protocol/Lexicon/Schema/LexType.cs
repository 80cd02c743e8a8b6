namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>The <c>type</c> of a lexicon schema definition.</summary>
public enum LexType
{
    /// <summary><c>null</c></summary>
    Null,
    /// <summary><c>boolean</c></summary>
    Boolean,
    /// <summary><c>integer</c></summary>
    Integer,
    /// <summary><c>string</c></summary>
    String,
    /// <summary><c>bytes</c></summary>
    Bytes,
    /// <summary><c>cid-link</c></summary>
    CidLink,
    /// <summary><c>blob</c></summary>
    Blob,
    /// <summary><c>array</c></summary>
    Array,
    /// <summary><c>object</c></summary>
    Object,
    /// <summary><c>params</c></summary>
    Params,
    /// <summary><c>token</c></summary>
    Token,
    /// <summary><c>ref</c></summary>
    Ref,
    /// <summary><c>union</c></summary>
    Union,
    /// <summary><c>unknown</c></summary>
    Unknown,
    /// <summary><c>record</c> (primary)</summary>
    Record,
    /// <summary><c>query</c> (primary)</summary>
    Query,
    /// <summary><c>procedure</c> (primary)</summary>
    Procedure,
    /// <summary><c>subscription</c> (primary)</summary>
    Subscription,
    /// <summary><c>permission-set</c> (primary)</summary>
    PermissionSet,
}
