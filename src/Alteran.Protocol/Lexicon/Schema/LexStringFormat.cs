namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>The <c>format</c> of a lexicon <c>string</c> (atproto Lexicon spec, "String Formats").</summary>
public enum LexStringFormat
{
    /// <summary>No format constraint.</summary>
    None,
    /// <summary><c>at-identifier</c>: a handle or a DID.</summary>
    AtIdentifier,
    /// <summary><c>at-uri</c></summary>
    AtUri,
    /// <summary><c>cid</c>: a CID in string form (not a <c>cid-link</c>).</summary>
    Cid,
    /// <summary><c>datetime</c>: RFC 3339 / ISO 8601 intersection with timezone.</summary>
    Datetime,
    /// <summary><c>did</c></summary>
    Did,
    /// <summary><c>handle</c></summary>
    Handle,
    /// <summary><c>nsid</c></summary>
    Nsid,
    /// <summary><c>tid</c></summary>
    Tid,
    /// <summary><c>record-key</c></summary>
    RecordKey,
    /// <summary><c>uri</c>: a generic URI.</summary>
    Uri,
    /// <summary><c>language</c>: a BCP 47 language tag.</summary>
    Language,
}
