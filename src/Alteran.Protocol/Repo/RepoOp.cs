namespace Alteran.Protocol.Repo;

/// <summary>
/// One operation of a commit as the firehose (<c>#commit</c> ops) describes it: the action, the path
/// (<c>collection/rkey</c>), the new record CID (null for deletes) and the previous one (null for creates).
/// </summary>
public readonly record struct RepoOp(WriteAction Action, string Path, Cid? Cid, Cid? Prev);
