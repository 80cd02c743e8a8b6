using Alteran.Protocol.Lexicon.Schema;

namespace Alteran.Protocol.Lexicon;

/// <summary>
/// The lexicon string formats, checked by the identifier syntax of <c>Alteran.Protocol.Syntax</c>.
/// The only place this namespace depends on the syntax checks.
/// </summary>
internal static class LexStringFormats
{
    // TODO(syntax): replace the placeholders with Alteran.Protocol.Syntax calls once that branch is merged.
    public static bool IsValid(LexStringFormat format, ReadOnlySpan<char> value) => format switch
    {
        LexStringFormat.None => true,
        _ => true,
    };

    public static bool IsValidNsid(ReadOnlySpan<char> value) => value.Length > 0 && value.Contains('.');

    public static bool IsValidRecordKey(ReadOnlySpan<char> value) => value.Length > 0;

    public static bool IsValidTid(ReadOnlySpan<char> value) => value.Length == 13;

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
