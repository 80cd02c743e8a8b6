namespace Alteran.Storage.Rocks;

/// <summary>Fixed keys of the <c>meta</c> column family (values: big-endian integers). See STORAGE-LAYOUT.md.</summary>
internal static class MetaKeys
{
    public static ReadOnlySpan<byte> SchemaVersion => "schema_version"u8;
    public static ReadOnlySpan<byte> LastSeq => "last_seq"u8;
    public static ReadOnlySpan<byte> NextAccountId => "next_account_id"u8;
    public static ReadOnlySpan<byte> Migration2Next => "migration_2_next"u8;
}
