namespace Alteran.Protocol.Repo;

/// <summary>A repository-level failure: a malformed commit, or a write that does not fit the repository's state.</summary>
public class RepoException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RepoException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with an inner cause.</summary>
    public RepoException(string message, Exception inner) : base(message, inner)
    {
    }
}
