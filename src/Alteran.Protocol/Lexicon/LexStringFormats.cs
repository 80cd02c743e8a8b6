using Alteran.Protocol.Lexicon.Schema;
using Alteran.Protocol.Syntax;

namespace Alteran.Protocol.Lexicon;

/// <summary>
/// The lexicon string formats, checked on UTF-8 by <c>Alteran.Protocol.Syntax</c>: the only place this namespace
/// depends on identifier syntax.
/// </summary>
internal static class LexStringFormats
{
    public static bool IsValid(LexStringFormat format, ReadOnlySpan<byte> utf8) => format switch
    {
        LexStringFormat.None => true,
        LexStringFormat.AtIdentifier => AtIdentifier.IsValid(utf8),
        LexStringFormat.AtUri => AtUri.IsValid(utf8),
        LexStringFormat.Cid => CidSyntax.IsValid(utf8),
        // TryParse, not IsValid: it also checks the calendar (no month 13, no Feb 30), as a validator should.
        LexStringFormat.Datetime => AtDatetime.TryParse(utf8, out _),
        LexStringFormat.Did => Did.IsValid(utf8),
        LexStringFormat.Handle => Handle.IsValid(utf8),
        LexStringFormat.Nsid => Nsid.IsValid(utf8),
        LexStringFormat.Tid => Tid.IsValid(utf8),
        LexStringFormat.RecordKey => RecordKey.IsValid(utf8),
        LexStringFormat.Uri => GenericUri.IsValid(utf8),
        LexStringFormat.Language => LanguageTag.IsValid(utf8),
        _ => false,
    };

    public static bool IsValidNsid(ReadOnlySpan<char> value) => Nsid.IsValid(value);

    public static bool IsValidRecordKey(ReadOnlySpan<char> value) => RecordKey.IsValid(value);

    public static bool IsValidTid(ReadOnlySpan<char> value) => Tid.IsValid(value);

    /// <summary>True for a CID in the form atproto links use (CIDv1, dag-cbor or raw, sha2-256), which our <see cref="Cid"/> holds.</summary>
    public static bool IsValidLink(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length != Cid.StringLength)
            return false;
        Span<char> chars = stackalloc char[Cid.StringLength];
        for (int i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] >= 0x80)
                return false;
            chars[i] = (char)utf8[i];
        }
        return Cid.TryParse(chars, out _);
    }

    /// <summary>Lower-case name of a format as written in lexicons, for messages.</summary>
    public static string Name(LexStringFormat format) => format switch
    {
        LexStringFormat.AtIdentifier => "at-identifier",
        LexStringFormat.AtUri => "at-uri",
        LexStringFormat.Cid => "cid",
        LexStringFormat.Datetime => "datetime",
        LexStringFormat.Did => "did",
        LexStringFormat.Handle => "handle",
        LexStringFormat.Nsid => "nsid",
        LexStringFormat.Tid => "tid",
        LexStringFormat.RecordKey => "record-key",
        LexStringFormat.Uri => "uri",
        LexStringFormat.Language => "language",
        _ => "string",
    };
}
