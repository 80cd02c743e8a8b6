namespace Alteran.Protocol.Mst;

/// <summary>One key of the tree and the CID it maps to (the record's CID).</summary>
public readonly record struct MstLeaf(string Key, Cid Value);
