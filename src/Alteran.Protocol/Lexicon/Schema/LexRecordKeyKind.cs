namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>The record key type of a <c>record</c> definition (<c>key</c>).</summary>
public enum LexRecordKeyKind
{
    /// <summary><c>any</c>: any valid record key.</summary>
    Any,
    /// <summary><c>tid</c>: a TID.</summary>
    Tid,
    /// <summary><c>nsid</c>: an NSID.</summary>
    Nsid,
    /// <summary><c>literal:value</c>: exactly that value (e.g. <c>self</c>).</summary>
    Literal,
}
