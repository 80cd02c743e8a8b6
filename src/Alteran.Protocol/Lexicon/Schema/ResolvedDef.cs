namespace Alteran.Protocol.Lexicon.Schema;

/// <summary>A resolved reference, remembered with the catalog that resolved it.</summary>
internal sealed class ResolvedDef(LexiconCatalog catalog, LexSchema schema)
{
    public LexiconCatalog Catalog { get; } = catalog;
    public LexSchema Schema { get; } = schema;
}
