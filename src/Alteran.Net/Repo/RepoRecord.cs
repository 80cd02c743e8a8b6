using Alteran.Protocol;

namespace Alteran.Net.Repo;

/// <summary>A record as read from a repo: its key, CID and DAG-CBOR bytes.</summary>
public readonly record struct RepoRecord(string Rkey, Cid Cid, byte[] Value);

/// <summary>A repo's current head (<c>getLatestCommit</c>).</summary>
public readonly record struct RepoHead(Cid Commit, string Rev);
